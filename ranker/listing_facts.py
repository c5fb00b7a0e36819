"""What listing search and the listing view read from the published snapshot beyond the
ServingIndex: when each listing was posted, its pay as stated (amount, currency, unit), its
dates and its change history.

Read from the snapshot file of the index's version (read-only; the caller finds it with
``pipeline.warehouse.pointer``), never from the warehouse. An index built from rows in memory
(tests, notebooks) has no file: its facts come from its rows and it has no history.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ranker.serving_index import ServingIndex
from ranker.snapshot_tables import has_table

_FACT_COLUMNS = "id, date_posted, first_seen, salary"
_KEEP_VERSIONS = 2
# The listing view shows this many of a listing's latest changes (and counts them all).
HISTORY_RECENT = 5


@dataclass(frozen=True)
class ListingFacts:
    """Per listing, aligned with the index's positions."""

    posted: np.ndarray  # float64 seconds since the epoch (UTC): date_posted, else first_seen; NaN = unknown
    pay_top: np.ndarray  # float64 top of the stated pay range (max, else min); NaN = not stated
    pay_unit: np.ndarray  # str: HOUR | DAY | WEEK | MONTH | YEAR, "" = not stated
    pay_currency: np.ndarray  # str: upper-case ISO 4217 code, "" = not stated

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> ListingFacts:
        posted = [_seconds(row.get("date_posted") or row.get("first_seen")) for row in rows]
        salaries = [row.get("salary") or {} for row in rows]
        tops = [s.get("max") if s.get("max") is not None else s.get("min") for s in salaries]
        return cls(
            posted=np.array(posted, dtype=np.float64),
            pay_top=np.array([np.nan if top is None else float(top) for top in tops], dtype=np.float64),
            pay_unit=np.array([str(s.get("unit") or "").upper() for s in salaries], dtype=np.str_),
            pay_currency=np.array([str(s.get("currency") or "").upper() for s in salaries], dtype=np.str_),
        )


def _seconds(value: datetime | None) -> float:
    if value is None:
        return float("nan")
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return moment.timestamp()


class FactsCache:
    """The facts of the last few snapshot versions, read once per version and shared by requests."""

    def __init__(self, keep: int = _KEEP_VERSIONS) -> None:
        self.keep = keep
        self._entries: OrderedDict[str, ListingFacts] = OrderedDict()
        self._lock = threading.Lock()
        # One read at a time: requests that arrive while a version is read wait for that read
        # instead of each reading the snapshot again (~0.5 s for 10,000 listings).
        self._reading = threading.Lock()

    def _cached(self, version: str) -> ListingFacts | None:
        with self._lock:
            return self._entries.get(version)

    def facts(self, index: ServingIndex, snapshot: Path | None) -> ListingFacts:
        """The facts of the index, from its snapshot file when given (else from its rows)."""
        found = self._cached(index.version)
        if found is not None:
            return found
        with self._reading:
            found = self._cached(index.version)
            if found is not None:
                return found
            facts = _read_facts(snapshot, index) if snapshot is not None else None
            if facts is None:
                facts = ListingFacts.from_rows(index.rows_at(list(range(len(index)))))
            with self._lock:
                self._entries[index.version] = facts
                while len(self._entries) > self.keep:
                    self._entries.popitem(last=False)
        return facts


def _read_facts(path: Path, index: ServingIndex) -> ListingFacts | None:
    """The facts from the snapshot file, or None when its listings are not the index's."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql(f"SELECT {_FACT_COLUMNS} FROM listings ORDER BY id").to_arrow_table().to_pylist()
    finally:
        con.close()
    if [row["id"] for row in rows] != index.ids:
        return None
    return ListingFacts.from_rows(rows)


def listing_record(snapshot: Path, listing_id: str) -> dict[str, Any] | None:
    """Dates and change history of one listing from a snapshot file: ``dates`` (posted, valid
    through, first and last seen) and ``history`` (None when the snapshot holds no history
    table). None when the snapshot has no such listing."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        dates = con.execute(
            "SELECT date_posted, valid_through, first_seen, last_seen FROM listings WHERE id = ?", [listing_id]
        ).fetchone()
        history = _history(con, listing_id) if has_table(con, "listing_history") else None
    finally:
        con.close()
    if dates is None:
        return None
    names = ("date_posted", "valid_through", "first_seen", "last_seen")
    return {"dates": {name: _iso(value) for name, value in zip(names, dates, strict=True)}, "history": history}


def _history(con: duckdb.DuckDBPyConnection, listing_id: str) -> dict[str, Any]:
    """How many changes of each kind the listing went through, and the latest few."""
    changes = con.execute(
        "SELECT changed_at, change, changed_fields, reason FROM listing_history WHERE listing_id = ? "
        "ORDER BY changed_at DESC", [listing_id],
    ).fetchall()
    counts: dict[str, int] = {}
    for _, change, _, _ in changes:
        counts[change] = counts.get(change, 0) + 1
    recent = [{"at": _iso(at), "change": change, "fields": list(fields or []), "reason": reason}
              for at, change, fields, reason in changes[:HISTORY_RECENT]]
    return {"changes": len(changes), "by_kind": counts, "recent": recent}



def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat().replace("+00:00", "Z")
