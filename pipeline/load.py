"""`ippo load`: ingest raw runs not yet loaded into the warehouse (idempotent).

Each raw run is read once. For every item: identify it cheaply; skip normalization when the
same payload was loaded before (only ``last_seen`` moves); otherwise normalize, enrich in
batch and upsert with history. Items that cannot become listings go to ``quarantine`` with
their reason and the raw line. Everything for one load happens in one transaction, so a
crash leaves the warehouse as it was and the runs still pending.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.canonical import Listing
from pipeline.enrich import enrich_listings
from pipeline.errors import NormalizeError
from pipeline.normalizers import NORMALIZERS
from pipeline.warehouse import connect, utcnow
from pipeline.warehouse_arrow import LISTING_COLUMNS, listings_to_arrow

# Columns compared to tell which fields of a listing changed (for history).
TRACKED_FIELDS = [c for c in LISTING_COLUMNS if c not in ("id", "first_seen", "last_seen", "raw_run", "status")]


@dataclass
class RunReport:
    path: str
    source: str
    items: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)


@dataclass
class LoadReport:
    runs: list[RunReport] = field(default_factory=list)
    closed: Counter[str] = field(default_factory=Counter)
    skipped_runs: int = 0

    def totals(self) -> dict[str, int]:
        return {
            "runs": len(self.runs),
            "items": sum(r.items for r in self.runs),
            "new": sum(r.new for r in self.runs),
            "changed": sum(r.changed for r in self.runs),
            "unchanged": sum(r.unchanged for r in self.runs),
            "quarantined": sum(sum(r.quarantined.values()) for r in self.runs),
            "closed": sum(self.closed.values()),
        }

    def quality_table(self) -> list[tuple[str, str, int]]:
        """(source, reason, count) rows: the data-quality report."""
        counts: Counter[tuple[str, str]] = Counter()
        for run in self.runs:
            for reason, n in run.quarantined.items():
                counts[(run.source, reason)] += n
        return [(s, r, n) for (s, r), n in sorted(counts.items())]


def pending_runs(raw_dir: Path, con: duckdb.DuckDBPyConnection) -> list[Path]:
    loaded = {row[0] for row in con.execute("SELECT path FROM raw_runs").fetchall()}
    runs = sorted(raw_dir.glob("*/*.jsonl"), key=lambda p: (p.stem, p.parent.name))
    return [p for p in runs if p.relative_to(raw_dir).as_posix() not in loaded]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                yield line_no, line


@dataclass
class _Batch:
    listings: dict[str, Listing] = field(default_factory=dict)  # id -> listing (last one wins)
    origin: dict[str, str] = field(default_factory=dict)  # id -> raw run path
    seen: dict[str, str] = field(default_factory=dict)  # id -> raw run path, for unchanged items
    quarantine: list[dict[str, Any]] = field(default_factory=list)


def _read_run(
    path: Path, rel: str, known: dict[str, str], batch: _Batch, report: RunReport, now: datetime
) -> None:
    def bad(line_no: int, reason: str, message: str, raw: str) -> None:
        report.quarantined[reason] += 1
        batch.quarantine.append(
            {"quarantined_at": now, "source": report.source, "raw_run": rel, "line_no": line_no,
             "reason": reason, "message": message, "raw": raw.rstrip("\n")}
        )

    for line_no, line in _lines(path):
        report.items += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            bad(line_no, "invalid_json_line", f"not valid JSON ({exc.msg})", line)
            continue
        if not isinstance(item, dict):
            bad(line_no, "item_not_object", "the line is JSON but not an object", line)
            continue
        item.setdefault("source", report.source)
        kind = item.get("kind")
        if kind == "problem":
            bad(line_no, "page_problem", str(item.get("problem") or "the crawler reported a problem"), line)
            continue
        normalizer = NORMALIZERS.get(str(kind))
        if normalizer is None:
            bad(line_no, "unknown_kind", f"no normalizer for items of kind {kind!r}", line)
            continue
        try:
            listing_id, content_hash = normalizer.identify(item)
            if known.get(listing_id) == content_hash or (
                listing_id in batch.listings and batch.listings[listing_id]["content_hash"] == content_hash
            ):
                batch.seen[listing_id] = rel
                report.unchanged += 1
                continue
            listing = normalizer.normalize(item)
        except NormalizeError as exc:
            bad(line_no, exc.reason, str(exc), line)
            continue
        except Exception as exc:  # a normalizer bug must not stop the load; the item is kept
            bad(line_no, "normalizer_error", f"{type(exc).__name__}: {exc}", line)
            continue
        if listing["id"] in known:
            report.changed += 1
        else:
            report.new += 1
        batch.listings[listing["id"]] = listing
        batch.origin[listing["id"]] = rel
        known.setdefault(listing["id"], "")  # a later item with this id in the same load is a change


def _history_sql() -> str:
    checks = ", ".join(
        f"CASE WHEN s.{c} IS DISTINCT FROM l.{c} THEN '{c}' END" for c in TRACKED_FIELDS
    )
    return f"list_filter([{checks}], lambda x: x IS NOT NULL)"


def _write(con: duckdb.DuckDBPyConnection, batch: _Batch, now: datetime) -> None:
    if batch.listings:
        table = listings_to_arrow(list(batch.listings.values()), now=now, origin=batch.origin)
        con.register("stage_arrow", table)
        con.execute("CREATE OR REPLACE TEMP TABLE stage AS SELECT * FROM stage_arrow")
        con.unregister("stage_arrow")
        # History first, while the old values are still there to compare with.
        con.execute(
            f"""
            INSERT INTO listing_history
            SELECT s.id, ?, CASE WHEN l.id IS NULL THEN 'new'
                                 WHEN l.status = 'closed' THEN 'reopened' ELSE 'changed' END,
                   CASE WHEN l.id IS NULL THEN NULL ELSE {_history_sql()} END,
                   s.content_hash, s.raw_run, NULL
            FROM stage s LEFT JOIN listings l ON l.id = s.id
            """,
            [now],
        )
        assignments = ", ".join(f"{c} = s.{c}" for c in LISTING_COLUMNS if c not in ("id", "first_seen"))
        con.execute(f"UPDATE listings SET {assignments} FROM stage s WHERE listings.id = s.id")
        con.execute("INSERT INTO listings SELECT s.* FROM stage s ANTI JOIN listings l ON l.id = s.id")
        con.execute("DROP TABLE stage")
    if batch.seen:
        seen = pa.table({"id": list(batch.seen.keys())})
        con.register("seen_arrow", seen)
        con.execute(
            """
            INSERT INTO listing_history
            SELECT l.id, ?, 'reopened', NULL, l.content_hash, NULL, 'seen again'
            FROM listings l JOIN seen_arrow s ON s.id = l.id
            WHERE l.status = 'closed' AND l.closed_reason <> 'expired'
            """,
            [now],
        )
        con.execute(
            """
            UPDATE listings SET last_seen = ?,
                status = CASE WHEN status = 'closed' AND closed_reason <> 'expired' THEN 'open' ELSE status END,
                closed_reason = CASE WHEN status = 'closed' AND closed_reason <> 'expired'
                                     THEN NULL ELSE closed_reason END
            FROM seen_arrow s WHERE listings.id = s.id
            """,
            [now],
        )
        con.unregister("seen_arrow")
    if batch.quarantine:
        rows = pa.Table.from_pylist(batch.quarantine)
        con.register("quarantine_arrow", rows)
        con.execute(
            "INSERT INTO quarantine "
            "SELECT quarantined_at, source, raw_run, line_no, reason, message, raw FROM quarantine_arrow"
        )
        con.unregister("quarantine_arrow")


def close_expired(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Listings past valid_through become closed (never deleted), with the reason."""
    con.execute(
        """
        INSERT INTO listing_history
        SELECT id, ?, 'closed', NULL, content_hash, NULL, 'expired'
        FROM listings WHERE status = 'open' AND valid_through IS NOT NULL AND valid_through < ?
        """,
        [now, now],
    )
    result = con.execute(
        """
        UPDATE listings SET status = 'closed', closed_reason = 'expired'
        WHERE status = 'open' AND valid_through IS NOT NULL AND valid_through < ?
        """,
        [now],
    ).fetchall()
    return int(result[0][0]) if result else 0


def load(warehouse: Path, raw_dir: Path, now: datetime | None = None) -> LoadReport:
    now = now or utcnow()
    report = LoadReport()
    con = connect(warehouse)
    try:
        runs = pending_runs(raw_dir, con) if raw_dir.exists() else []
        known = dict(con.execute("SELECT id, content_hash FROM listings").fetchall())
        batch = _Batch()
        for path in runs:
            rel = path.relative_to(raw_dir).as_posix()
            run = RunReport(path=rel, source=path.parent.name)
            _read_run(path, rel, known, batch, run, now)
            report.runs.append(run)
        enrich_listings(list(batch.listings.values()))
        con.execute("BEGIN TRANSACTION")
        try:
            _write(con, batch, now)
            for run, path in zip(report.runs, runs, strict=True):
                con.execute(
                    "INSERT INTO raw_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run.path, run.source, path.stem, path.stat().st_size, now, run.items,
                     run.new, run.changed, run.unchanged, sum(run.quarantined.values())],
                )
            report.closed["expired"] = close_expired(con, now)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return report
