"""Support items of raw runs -> the warehouse's support tables, with history.

Offices are kept the way listings are (pipeline/warehouse/load.py): a new office gets a
``new`` history row, a changed one ``changed`` with the fields that differ, one seen again
after it closed ``reopened``; an office seen again unchanged only has its ``last_seen`` moved,
so loading the same rows twice changes nothing else. Offices are never deleted: one missing
from a *full refresh* of its service (a whole WAM file read by a successful crawl) is closed
(``absent``). A row that cannot be read still counts as its office seen, so a row broken for
one month does not close the office. Rows that cannot become offices go to ``quarantine``
with their reason.

Hello Work areas are a current mapping, not a history: each table loaded (zip5: whole
municipalities; zip7: postcode exceptions) replaces the rows of its part, keeping the
``first_seen`` of rows that stay.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.support.hellowork import HelloWorkArea, HelloWorkFileError, areas_from_table, table_of
from pipeline.support.kinds import HELLOWORK_TABLE, OFFICE_FILE, OFFICE_ROW
from pipeline.support.offices import SupportOffice, offices_from_rows
from pipeline.support.service_types import SERVICE_LABELS
from pipeline.support.tables import (
    SUPPORT_OFFICES,
    TRACKED_OFFICE_FIELDS,
    WAREHOUSE_ONLY_OFFICE_COLUMNS,
    Columns,
)

_ARROW_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
                "TIMESTAMP": pa.timestamp("us")}


def arrow_schema(columns: Columns) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in columns])


OFFICE_SCHEMA = arrow_schema((*SUPPORT_OFFICES, *WAREHOUSE_ONLY_OFFICE_COLUMNS))


@dataclass
class SupportItem:
    """One support line of a raw run, as the loader read it."""

    source: str
    raw_run: str
    successful: bool  # whether the crawl that wrote the run finished well
    line_no: int
    kind: str
    payload: Any
    raw: str


@dataclass
class SupportReport:
    rows: int = 0  # WAM rows read
    offices: int = 0  # offices those rows became (one per office id)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reopened: int = 0
    closed: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    hellowork_tables: int = 0
    hellowork_areas: int = 0  # rows of the tables loaded

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "offices": self.offices, "new": self.new, "changed": self.changed,
                "unchanged": self.unchanged, "reopened": self.reopened, "closed": self.closed,
                "quarantined": sum(self.quarantined.values()), "quarantined_by_reason": dict(self.quarantined),
                "hellowork_tables": self.hellowork_tables, "hellowork_areas": self.hellowork_areas}


@dataclass
class _File:
    """The rows of one WAM file in one raw run, and whether the run read it whole."""

    items: list[SupportItem] = field(default_factory=list)
    hint: str | None = None
    declared_rows: int | None = None  # from the file marker; None when the marker is missing


@dataclass
class _Sorted:
    files: dict[tuple[str, str], _File] = field(default_factory=dict)
    hellowork: dict[str, tuple[Any, SupportItem]] = field(default_factory=dict)  # table -> last (data, item)
    quarantine: list[dict[str, Any]] = field(default_factory=list)


def _quarantine(item: SupportItem, reason: str, message: str, now: datetime) -> dict[str, Any]:
    return {"quarantined_at": now, "source": item.source, "raw_run": item.raw_run, "line_no": item.line_no,
            "reason": reason, "message": message, "raw": item.raw}


def _sort(items: Sequence[SupportItem], now: datetime, report: SupportReport) -> _Sorted:
    """Group office rows by (run, file); keep the last Hello Work table of each kind."""
    out = _Sorted()
    for item in items:
        payload = item.payload if isinstance(item.payload, Mapping) else {}
        key = (item.raw_run, str(payload.get("file") or ""))
        if item.kind == OFFICE_ROW and isinstance(payload.get("row"), Mapping):
            group = out.files.setdefault(key, _File())
            group.items.append(item)
            group.hint = payload.get("service_hint") or group.hint
        elif item.kind == OFFICE_FILE and isinstance(payload.get("rows"), int):
            group = out.files.setdefault(key, _File())
            group.hint = payload.get("service_hint") or group.hint
            group.declared_rows = payload["rows"] if item.successful else None
        elif item.kind == HELLOWORK_TABLE:
            try:
                data = payload.get("data")
                out.hellowork[table_of(data)] = (data, item)
            except HelloWorkFileError as exc:
                report.quarantined["hellowork_table_unreadable"] += 1
                out.quarantine.append(_quarantine(item, "hellowork_table_unreadable", str(exc), now))
        else:
            report.quarantined["support_item_malformed"] += 1
            out.quarantine.append(_quarantine(item, "support_item_malformed",
                                              f"a {item.kind} item without the fields its kind needs", now))
    return out


@dataclass
class _Offices:
    latest: dict[str, tuple[SupportOffice, str]] = field(default_factory=dict)  # office id -> (office, raw run)
    # service type -> (raw run, office ids seen) of the last full refresh of that service
    refreshed: dict[str, tuple[str, set[str]]] = field(default_factory=dict)


def _read_offices(sorted_items: _Sorted, now: datetime, report: SupportReport) -> _Offices:
    out = _Offices()
    for (raw_run, file), group in sorted_items.files.items():
        rows = [item.payload["row"] for item in group.items]
        offices, read = offices_from_rows(rows, group.hint)
        report.rows += read.rows
        report.quarantined.update(read.quarantined)
        for rejected in read.rejected:
            item = group.items[rejected.row_number - 1]
            sorted_items.quarantine.append(_quarantine(item, rejected.reason, f"{file}: {rejected.message}", now))
        for office in offices:
            out.latest[office["office_id"]] = (office, raw_run)
        if group.declared_rows is not None and group.declared_rows == len(group.items):
            seen = {o["office_id"] for o in offices} | {r.office_id for r in read.rejected if r.office_id}
            for kind in {group.hint, *(o["service_type"] for o in offices)} - {None}:
                assert kind is not None
                previous = out.refreshed.get(kind)
                ids = previous[1] | seen if previous and previous[0] == raw_run else seen
                out.refreshed[kind] = (raw_run, ids)
    report.offices = len(out.latest)
    return out


def content_hash(office: Mapping[str, Any]) -> str:
    blob = json.dumps({name: office.get(name) for name in TRACKED_OFFICE_FIELDS}, sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()


def _office_table(latest: Mapping[str, tuple[SupportOffice, str]], now: datetime) -> pa.Table:
    rows = [{**office, "first_seen": now, "last_seen": now, "status": "open", "closed_reason": None,
             "content_hash": content_hash(office), "raw_run": raw_run} for office, raw_run in latest.values()]
    return pa.Table.from_pylist(rows, schema=OFFICE_SCHEMA)


def _write_offices(con: duckdb.DuckDBPyConnection, table: pa.Table, now: datetime, report: SupportReport) -> None:
    from pipeline.warehouse.load import history_sql

    con.register("support_arrow", table)
    try:
        new, changed, reopened, unchanged = con.execute(
            "SELECT count(*) FILTER (WHERE l.office_id IS NULL), "
            "count(*) FILTER (WHERE l.status = 'open' AND l.content_hash <> s.content_hash), "
            "count(*) FILTER (WHERE l.status = 'closed'), "
            "count(*) FILTER (WHERE l.status = 'open' AND l.content_hash = s.content_hash) "
            "FROM support_arrow s LEFT JOIN support_offices l ON l.office_id = s.office_id"
        ).fetchall()[0]
        report.new, report.changed, report.reopened, report.unchanged = new, changed, reopened, unchanged
        con.execute(
            "INSERT INTO support_office_history SELECT s.office_id, ?, 'new', NULL, s.content_hash, s.raw_run, NULL "
            "FROM support_arrow s ANTI JOIN support_offices l ON l.office_id = s.office_id", [now])
        rewritten = "l.status = 'closed' OR l.content_hash <> s.content_hash"
        con.execute(
            f"INSERT INTO support_office_history SELECT s.office_id, ?, "
            f"CASE WHEN l.status = 'closed' THEN 'reopened' ELSE 'changed' END, "
            f"{history_sql(TRACKED_OFFICE_FIELDS)}, s.content_hash, s.raw_run, "
            f"CASE WHEN l.status = 'closed' THEN 'seen again' END "
            f"FROM support_arrow s JOIN support_offices l ON l.office_id = s.office_id WHERE {rewritten}", [now])
        settable = [name for name in OFFICE_SCHEMA.names if name not in ("office_id", "first_seen")]
        con.execute(
            f"UPDATE support_offices l SET {', '.join(f'{c} = s.{c}' for c in settable)} "
            f"FROM support_arrow s WHERE l.office_id = s.office_id AND ({rewritten})")
        con.execute("UPDATE support_offices l SET last_seen = ? FROM support_arrow s "
                    "WHERE l.office_id = s.office_id AND l.last_seen <> ?", [now, now])
        con.execute("INSERT INTO support_offices SELECT s.* FROM support_arrow s "
                    "ANTI JOIN support_offices l ON l.office_id = s.office_id")
    finally:
        con.unregister("support_arrow")


def _close_absent(con: duckdb.DuckDBPyConnection, refreshed: Mapping[str, tuple[str, set[str]]], now: datetime,
                  report: SupportReport) -> None:
    """Open offices of a fully refreshed service that the refresh did not list become closed."""
    for kind, (raw_run, seen) in sorted(refreshed.items()):
        where = ("status = 'open' AND service_type = ? "
                 "AND office_id NOT IN (SELECT unnest(?::VARCHAR[]))")
        reason = f"not in the full refresh of {SERVICE_LABELS.get(kind, kind)} ({raw_run})"
        con.execute(f"INSERT INTO support_office_history SELECT office_id, ?, 'closed', NULL, content_hash, ?, ? "
                    f"FROM support_offices WHERE {where}", [now, raw_run, reason, kind, sorted(seen)])
        result = con.execute(f"UPDATE support_offices SET status = 'closed', closed_reason = 'absent' WHERE {where}",
                             [kind, sorted(seen)]).fetchall()
        report.closed += int(result[0][0]) if result else 0


_SAME_AREA = ("s.municipality_code = h.municipality_code AND s.postal_code IS NOT DISTINCT FROM h.postal_code "
              "AND s.office = h.office")


def _write_hellowork(con: duckdb.DuckDBPyConnection, table: str, rows: list[HelloWorkArea], raw_run: str,
                     now: datetime) -> None:
    part = "h.postal_code IS NULL" if table == "zip5" else "h.postal_code IS NOT NULL"
    stage = pa.Table.from_pylist(list(rows), schema=pa.schema(
        [("municipality_code", pa.string()), ("postal_code", pa.string()), ("office", pa.string())]))
    con.register("hellowork_arrow", stage)
    try:
        con.execute(f"DELETE FROM hellowork_areas h WHERE {part} AND NOT EXISTS "
                    f"(SELECT 1 FROM hellowork_arrow s WHERE {_SAME_AREA})")
        con.execute(f"UPDATE hellowork_areas h SET last_seen = ? FROM hellowork_arrow s WHERE {_SAME_AREA}", [now])
        con.execute(f"INSERT INTO hellowork_areas SELECT s.municipality_code, s.postal_code, s.office, ?, ?, ? "
                    f"FROM hellowork_arrow s WHERE NOT EXISTS (SELECT 1 FROM hellowork_areas h WHERE {_SAME_AREA})",
                    [now, now, raw_run])
    finally:
        con.unregister("hellowork_arrow")


def store_support(con: duckdb.DuckDBPyConnection, items: Sequence[SupportItem],
                  now: datetime) -> tuple[SupportReport, list[dict[str, Any]]]:
    """Write the support items of the runs being loaded (in run order); returns what happened and
    the quarantine rows (in the loader's quarantine shape) for the caller to write."""
    report = SupportReport()
    if not items:
        return report, []
    sorted_items = _sort(items, now, report)
    offices = _read_offices(sorted_items, now, report)
    if offices.latest:
        _write_offices(con, _office_table(offices.latest, now), now, report)
    _close_absent(con, offices.refreshed, now, report)
    for table, (data, item) in sorted(sorted_items.hellowork.items()):
        rows, _ = areas_from_table(data)
        _write_hellowork(con, table, rows, item.raw_run, now)
        report.hellowork_tables += 1
        report.hellowork_areas += len(rows)
    return report, sorted_items.quarantine
