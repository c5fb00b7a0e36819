"""`ippo load`: ingest raw runs not yet loaded into the warehouse (idempotent).

Each raw run is read once (pipeline/warehouse/read_runs.py). A line whose exact bytes were loaded before
(same source, same normalizer version) and whose listing still has the content hash it produced
is *unchanged* without being parsed: only ``last_seen`` moves. Every other line is parsed,
identified cheaply (listing id + content hash) and normalized only when its content is new — in
a process pool over chunks of lines, since normalization is the costly part; listings come
back as Arrow record batches. Items of kind ``registry_record`` go to the ``registry_records``
table; support items (WAM offices, Hello Work areas) to the support tables (pipeline/support/store.py).

Then, in one transaction: registry records upserted; new and changed listings tagged from the
registry, classified, scored, written with history; when the registry changed, every open
listing re-matched; cross-source duplicates marked; listings past valid_through or unseen too
long closed. A crash leaves the warehouse as it was and the runs still pending. Items that
cannot become listings go to ``quarantine`` with their reason and the raw line.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import pipeline.warehouse.dedupe as dedupe
import pipeline.warehouse.freshness as freshness
from ippo.config import DEFAULT_CLOSE_UNSEEN_AFTER_DAYS, DEFAULT_DENSE_VIEW, DenseView
from pipeline.employers.matching import RegistryIndex
from pipeline.employers.records import RegistryRecord
from pipeline.progress import Progress, no_progress
from pipeline.support.store import SupportItem, SupportReport, store_support
from pipeline.warehouse.arrow import LISTING_COLUMNS, LISTING_SCHEMA, REGISTRY_TAGS_TYPE
from pipeline.warehouse.connect import connect, utcnow
from pipeline.warehouse.enrich import (
    enrich_table,
    entity_key,
    record_hash,
    registry_tags_for,
    support_score,
)
from pipeline.warehouse.read_runs import Fresh, ParsedChunk, hash_lines, parse
from pipeline.warehouse.tagger_fingerprint import tagger_fingerprint

ONLY_HASH_CHANGED = "content hash only: the source changed fields ippo does not map, or ippo normalized it again"
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
    registry_records: int = 0
    support_items: int = 0  # support office rows, file markers and Hello Work tables (pipeline/support)
    successful: bool = True
    quarantined: Counter[str] = field(default_factory=Counter)


@dataclass
class LoadReport:
    runs: list[RunReport] = field(default_factory=list)
    closed: Counter[str] = field(default_factory=Counter)
    skipped_runs: int = 0
    registry_changed: int = 0  # registry rows inserted or changed
    retagged: int = 0  # existing open listings whose registry tags changed after a registry change
    duplicates: int = 0  # open listings marked duplicate_of another, after this load
    occupations: int = 0  # new/changed listings that got an occupation
    support: SupportReport = field(default_factory=SupportReport)
    timings: dict[str, float] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        return {
            "runs": len(self.runs),
            "items": sum(r.items for r in self.runs),
            "new": sum(r.new for r in self.runs),
            "changed": sum(r.changed for r in self.runs),
            "unchanged": sum(r.unchanged for r in self.runs),
            "quarantined": sum(sum(r.quarantined.values()) for r in self.runs),
            "closed": sum(self.closed.values()),
            "registry_records": sum(r.registry_records for r in self.runs),
            "registry_changed": self.registry_changed,
            "retagged": self.retagged,
            "duplicates": self.duplicates,
            "occupations": self.occupations,
            "support_rows": self.support.rows,
            "support_quarantined": sum(self.support.quarantined.values()),
            "support_closed": self.support.closed,
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


@dataclass
class _Batch:
    listings: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # id -> (part, row, hash); last wins
    parts: list[pa.RecordBatch | None] = field(default_factory=list)  # Arrow listings of each parsed chunk
    origin: dict[str, str] = field(default_factory=dict)  # id -> raw run path
    seen: set[str] = field(default_factory=set)  # ids of unchanged parsed items (last_seen moves)
    scan_seen: bool = False  # the temp table scan_seen holds the ids of unchanged lines (see _scan)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    registry: list[tuple[RegistryRecord, str]] = field(default_factory=list)  # (record, raw run)
    new_lines: dict[str, tuple[str, str]] = field(default_factory=dict)  # line hash -> (id, content hash)
    listing_sources: set[str] = field(default_factory=set)  # sources with a successful listing run
    support: list[SupportItem] = field(default_factory=list)


def _scan(
    runs: Sequence[tuple[Path, RunReport]], con: duckdb.DuckDBPyConnection, batch: _Batch,
) -> list[Fresh]:
    """Fingerprint every line; unchanged ones are settled here, the rest returned for parsing.

    A line is unchanged when its fingerprint is in raw_line_index and its listing still has
    the content hash the line produced. That test runs in the warehouse: the fingerprints go
    in as one list parameter, the matches stay there (temp table ``scan_seen``, read when
    ``last_seen`` is moved), and only the positions of lines to parse come back. Only those
    lines are read out of the files.
    """
    hashed = [hash_lines(path, report.source) for path, report in runs]
    fingerprints = [row[1] for rows in hashed for row in rows]
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE scan_seen AS
        SELECT s.pos, r.listing_id AS id
        FROM (SELECT unnest(f) AS line_hash, unnest(range(len(f))) AS pos FROM (SELECT ?::VARCHAR[] AS f)) s
        JOIN raw_line_index r ON r.line_hash = s.line_hash
        JOIN listings l ON l.id = r.listing_id AND l.content_hash = r.content_hash
        """,
        [fingerprints],
    )
    batch.scan_seen = True
    to_parse = {row[0] for row in con.execute(
        "SELECT p.range FROM range(?) p ANTI JOIN scan_seen s ON s.pos = p.range", [len(fingerprints)]
    ).fetchall()}
    fresh: list[Fresh] = []
    offset = 0
    for number, ((path, report), rows) in enumerate(zip(runs, hashed, strict=True)):
        report.items += len(rows)
        wanted = [row for n, row in enumerate(rows, offset) if n in to_parse] if to_parse else []
        offset += len(rows)
        report.unchanged += len(rows) - len(wanted)
        if wanted:
            with path.open("rb") as handle:
                for line_no, line_hash, start, stop in wanted:
                    handle.seek(start)
                    fresh.append(Fresh(number, line_no, handle.read(stop - start), line_hash))
    return fresh


def _collect(parsed: list[tuple[list[Fresh], ParsedChunk]], runs: Sequence[tuple[Path, RunReport]],
             known: dict[str, str], batch: _Batch, now: datetime) -> None:
    for lines, chunk in parsed:
        part = len(batch.parts)
        batch.parts.append(chunk.listings)
        for f, outcome in zip(lines, chunk.outcomes, strict=True):
            report = runs[f.run][1]
            kind = outcome[0]
            if kind == "listing":
                _, lid, content_hash, row = outcome
                previous = batch.listings.get(lid)
                if previous is not None and previous[2] == content_hash:
                    batch.seen.add(lid)
                    report.unchanged += 1
                else:
                    if lid in known or previous is not None:
                        report.changed += 1
                    else:
                        report.new += 1
                    batch.listings[lid] = (part, row, content_hash)
                    batch.origin[lid] = report.path
                batch.new_lines[f.line_hash] = (lid, content_hash)
            elif kind == "seen":
                _, lid, content_hash = outcome
                batch.seen.add(lid)
                batch.new_lines[f.line_hash] = (lid, content_hash)
                report.unchanged += 1
            elif kind == "registry":
                report.registry_records += 1
                batch.registry.append((outcome[1], report.path))
            elif kind == "support":
                report.support_items += 1
                batch.support.append(SupportItem(
                    source=report.source, raw_run=report.path, successful=report.successful, line_no=f.line_no,
                    kind=outcome[1], payload=outcome[2], raw=f.line.decode("utf-8", errors="replace")))
            else:
                report.quarantined[outcome[1]] += 1
                batch.quarantine.append(
                    {"quarantined_at": now, "source": report.source, "raw_run": report.path, "line_no": f.line_no,
                     "reason": outcome[1], "message": outcome[2], "raw": f.line.decode("utf-8", errors="replace")}
                )


def _listing_table(batch: _Batch, now: datetime) -> pa.Table:
    """The listings to write, one row per id (its last line), with the loader's own columns set."""
    rows_of: dict[int, list[int]] = {}
    runs_of: dict[int, list[str]] = {}
    for lid, (part, row, _) in batch.listings.items():
        rows_of.setdefault(part, []).append(row)
        runs_of.setdefault(part, []).append(batch.origin[lid])
    pieces = []
    raw_runs: list[str] = []
    for part, rows in rows_of.items():
        records = batch.parts[part]
        assert records is not None  # a "listing" outcome always comes with its chunk's batch
        whole = len(rows) == records.num_rows and rows == list(range(records.num_rows))
        pieces.append(records if whole else records.take(pa.array(rows, pa.int32())))
        raw_runs.extend(runs_of[part])
    table = pa.Table.from_batches(pieces, schema=LISTING_SCHEMA)
    count = table.num_rows
    stamps = pa.array([now] * count, pa.timestamp("us"))
    for name, values in (("first_seen", stamps), ("last_seen", stamps), ("raw_run", pa.array(raw_runs, pa.string()))):
        table = table.set_column(table.schema.get_field_index(name), table.schema.field(name), values)
    return table


# --- writing ------------------------------------------------------------------------------------


def history_sql(fields: Sequence[str] = TRACKED_FIELDS) -> str:
    """SQL for the list of ``fields`` whose values differ between a staged row ``s`` and the stored row ``l``."""
    checks = ", ".join(
        f"CASE WHEN s.{c} IS DISTINCT FROM l.{c} THEN '{c}' END" for c in fields
    )
    return f"list_filter([{checks}], lambda x: x IS NOT NULL)"


def _write_listings(con: duckdb.DuckDBPyConnection, batch: _Batch, table: pa.Table | None, now: datetime) -> None:
    """Write what the batch found: listings with history, sightings, line fingerprints, quarantine."""
    if table is not None and table.num_rows:
        _write_listing_rows(con, table, now)
    if batch.seen or batch.scan_seen:
        _mark_seen(con, batch, now)
    if batch.scan_seen:
        con.execute("DROP TABLE scan_seen")
    if batch.new_lines:
        _index_lines(con, batch.new_lines)
    if batch.listings:
        # Fingerprints of lines whose listing has since changed can never match again.
        con.execute(
            "DELETE FROM raw_line_index r USING listings l "
            "WHERE r.listing_id = l.id AND r.content_hash <> l.content_hash"
        )
    if batch.quarantine:
        _write_quarantine(con, batch.quarantine)


def _write_listing_rows(con: duckdb.DuckDBPyConnection, table: pa.Table, now: datetime) -> None:
    """New and changed listings, each with its history row.

    New listings go straight from Arrow into the table; only the listings already in the
    warehouse (changed or reopened: few, on most loads) are staged and compared for history."""
    con.register("stage_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE stage AS "
                "SELECT s.* FROM stage_arrow s SEMI JOIN listings l ON l.id = s.id")
    con.execute(
        "INSERT INTO listing_history SELECT s.id, ?, 'new', NULL, s.content_hash, s.raw_run, NULL "
        "FROM stage_arrow s ANTI JOIN listings l ON l.id = s.id",
        [now],
    )
    _history_of_changed(con, now)
    # A listing keeps the duplicate mark it had until the dedupe pass looks at it again.
    assignments = ", ".join(
        f"{c} = s.{c}" for c in LISTING_COLUMNS if c not in ("id", "first_seen", "duplicate_of")
    )
    con.execute(f"UPDATE listings SET {assignments} FROM stage s WHERE listings.id = s.id")
    con.execute("INSERT INTO listings SELECT s.* FROM stage_arrow s ANTI JOIN listings l ON l.id = s.id")
    con.execute("DROP TABLE stage")
    con.unregister("stage_arrow")


def _history_of_changed(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """History rows of the staged listings already in the warehouse, written while the old values
    are still there to compare with. A new content hash with no canonical field changed (a
    payload field ippo does not map, or a new normalizer version) is said so, so analysts can
    tell it from a real change."""
    con.execute(
        f"""
        INSERT INTO listing_history
        SELECT id, ?, change, fields, content_hash, raw_run,
               CASE WHEN fields = ['content_hash'] THEN '{ONLY_HASH_CHANGED}' END
        FROM (SELECT s.id, CASE WHEN l.status = 'closed' THEN 'reopened' ELSE 'changed' END AS change,
                     {history_sql()} AS fields, s.content_hash, s.raw_run
              FROM stage s JOIN listings l ON l.id = s.id)
        """,
        [now],
    )


def _mark_seen(con: duckdb.DuckDBPyConnection, batch: _Batch, now: datetime) -> None:
    """Unchanged listings seen again: last_seen moves; closed ones (not expired) reopen."""
    # Passed as one list parameter, not a registered Arrow table: registering makes DuckDB
    # import pandas (~0.5 s), which a reload of unchanged runs does not otherwise need.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE seen_ids AS SELECT unnest(?::VARCHAR[]) AS id"
        + (" UNION SELECT id FROM scan_seen" if batch.scan_seen else ""),
        [list(batch.seen)],
    )
    con.execute(
        """
        INSERT INTO listing_history
        SELECT l.id, ?, 'reopened', NULL, l.content_hash, NULL, 'seen again'
        FROM listings l JOIN seen_ids s ON s.id = l.id
        WHERE l.status = 'closed' AND l.closed_reason <> 'expired'
        """,
        [now],
    )
    # Two statements: the status columns are rewritten only for the few listings that
    # reopen, so committing a reload writes one changed column, not three.
    con.execute(
        "UPDATE listings SET status = 'open', closed_reason = NULL FROM seen_ids s "
        "WHERE listings.id = s.id AND listings.status = 'closed' AND listings.closed_reason <> 'expired'"
    )
    con.execute("UPDATE listings SET last_seen = ? FROM seen_ids s WHERE listings.id = s.id", [now])
    con.execute("DROP TABLE seen_ids")


def _index_lines(con: duckdb.DuckDBPyConnection, new_lines: dict[str, tuple[str, str]]) -> None:
    """Fingerprints of the lines parsed now, so the next load of the same bytes skips them."""
    lines = pa.table({
        "line_hash": list(new_lines.keys()),
        "listing_id": [v[0] for v in new_lines.values()],
        "content_hash": [v[1] for v in new_lines.values()],
    })
    con.register("lines_arrow", lines)
    con.execute("DELETE FROM raw_line_index WHERE line_hash IN (SELECT line_hash FROM lines_arrow)")
    con.execute("INSERT INTO raw_line_index SELECT * FROM lines_arrow")
    con.unregister("lines_arrow")


def _write_quarantine(con: duckdb.DuckDBPyConnection, quarantine: list[dict[str, Any]]) -> None:
    con.register("quarantine_arrow", pa.Table.from_pylist(quarantine))
    con.execute(
        "INSERT INTO quarantine "
        "SELECT quarantined_at, source, raw_run, line_no, reason, message, raw FROM quarantine_arrow"
    )
    con.unregister("quarantine_arrow")


_REGISTRY_COLUMNS = ("registry", "tag", "entity_key", "employer_name", "normalized_name", "corporate_number",
                     "address", "prefecture", "country", "level_or_status", "as_of", "source_url", "evidence",
                     "record_hash", "first_seen", "last_seen", "raw_run")


def upsert_registry(con: duckdb.DuckDBPyConnection, records: Sequence[tuple[RegistryRecord, str]],
                    now: datetime) -> int:
    """Store registry records, one row per (registry, tag, employer); returns rows inserted or changed."""
    if not records:
        return 0
    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record, raw_run in records:
        key = (record["registry"], record["tag"], entity_key(record))
        latest[key] = {**{c: record.get(c) for c in _REGISTRY_COLUMNS}, "entity_key": key[2],  # type: ignore[misc]
                       "record_hash": record_hash(record), "first_seen": now, "last_seen": now, "raw_run": raw_run}
    table = pa.Table.from_pylist(list(latest.values()), schema=pa.schema(
        [(c, pa.timestamp("us") if c in ("first_seen", "last_seen") else pa.string()) for c in _REGISTRY_COLUMNS]))
    con.register("registry_arrow", table)
    try:
        changed = con.execute(
            "SELECT count(*) FROM registry_arrow s LEFT JOIN registry_records r "
            "USING (registry, tag, entity_key) WHERE r.record_hash IS DISTINCT FROM s.record_hash"
        ).fetchall()[0][0]
        settable = [c for c in _REGISTRY_COLUMNS if c not in ("registry", "tag", "entity_key", "first_seen")]
        con.execute(
            f"UPDATE registry_records SET {', '.join(f'{c} = s.{c}' for c in settable if c != 'raw_run')}, "
            "raw_run = CASE WHEN registry_records.record_hash = s.record_hash THEN registry_records.raw_run "
            "ELSE s.raw_run END FROM registry_arrow s WHERE registry_records.registry = s.registry "
            "AND registry_records.tag = s.tag AND registry_records.entity_key = s.entity_key"
        )
        con.execute(
            f"INSERT INTO registry_records SELECT {', '.join('s.' + c for c in _REGISTRY_COLUMNS)} "
            "FROM registry_arrow s ANTI JOIN registry_records r USING (registry, tag, entity_key)"
        )
    finally:
        con.unregister("registry_arrow")
    return int(changed)


def registry_index(con: duckdb.DuckDBPyConnection) -> RegistryIndex | None:
    """The matching index over the registry table (None when the table is empty)."""
    fields = ("registry", "tag", "employer_name", "normalized_name", "corporate_number", "address", "prefecture",
              "country", "level_or_status", "as_of", "source_url", "evidence")
    rows = con.execute(f"SELECT {', '.join(fields)} FROM registry_records ORDER BY registry, tag, entity_key"
                       ).fetchall()
    if not rows:
        return None
    return RegistryIndex.from_records([dict(zip(fields, row, strict=True)) for row in rows])  # type: ignore[misc]


def retag_open_listings(con: duckdb.DuckDBPyConnection, index: RegistryIndex | None, now: datetime,
                        skip: set[str]) -> int:
    """After a registry change: re-match every open listing; write the ones whose tags changed (with history)."""
    rows = con.execute(
        "SELECT id, employer.name, locations, employer.registry_tags, signals FROM listings WHERE status = 'open'"
    ).fetchall()
    rows = [r for r in rows if r[0] not in skip]
    if not rows:
        return 0
    if index is None:
        new_tags: list[list[Any]] = [[] for _ in rows]
    else:
        new_tags = registry_tags_for(index, [r[1] for r in rows], [r[2] for r in rows])  # type: ignore[arg-type]
    ids, tags, scores = [], [], []
    for row, fresh in zip(rows, new_tags, strict=True):
        if [dict(t) for t in row[3] or []] != [dict(t) for t in fresh]:
            ids.append(row[0])
            tags.append(fresh)
            scores.append(support_score(row[4] or [], fresh))
    if not ids:
        return 0
    table = pa.table({"id": pa.array(ids, pa.string()), "registry_tags": pa.array(tags, REGISTRY_TAGS_TYPE),
                      "supportiveness": pa.array(scores, pa.float64())})
    write_tag_changes(con, table, now, reason="registry update")
    return len(ids)


# A re-tag's new values, by the name of the column in the changes table: (the listing column
# named in history, its stored value, the value written, both in SQL over listings l / changes s).
_TAG_COLUMNS = {
    "registry_tags": ("employer", "l.employer.registry_tags",
                      "struct_pack(name := employer.name, normalized_name := employer.normalized_name, "
                      "registry_tags := s.registry_tags)"),
    "signals": ("signals", "l.signals", "s.signals"),
    "supportiveness": ("supportiveness", "l.supportiveness", "s.supportiveness"),
}


def write_tag_changes(con: duckdb.DuckDBPyConnection, changes: pa.Table, now: datetime, *, reason: str,
                      raw_run: str | None = None) -> None:
    """Write re-tagged listings: ``changes`` holds ``id`` and new values of some of the tag columns
    (``registry_tags``, ``signals``, ``supportiveness``). Each listing gets one history row
    ``changed`` naming the columns whose values differ, with ``reason`` and ``raw_run`` (the run
    that re-tagged it), then its new values. The content hash stays: the source said nothing new."""
    columns = [c for c in changes.column_names if c != "id"]
    unknown = [c for c in columns if c not in _TAG_COLUMNS]
    if unknown or "id" not in changes.column_names:
        raise ValueError(f"write_tag_changes: expected id and some of {', '.join(_TAG_COLUMNS)}; got "
                         f"{', '.join(changes.column_names)}")
    checks = ", ".join(f"CASE WHEN {_TAG_COLUMNS[c][1]} IS DISTINCT FROM s.{c} THEN '{_TAG_COLUMNS[c][0]}' END"
                       for c in columns)
    assignments = ", ".join(f"{_TAG_COLUMNS[c][0]} = {_TAG_COLUMNS[c][2]}" for c in columns)
    con.register("retag_arrow", changes)
    try:
        con.execute(
            f"INSERT INTO listing_history SELECT l.id, ?, 'changed', list_filter([{checks}], lambda x: x IS NOT NULL), "
            "l.content_hash, ?, ? FROM listings l JOIN retag_arrow s ON s.id = l.id",
            [now, raw_run, reason],
        )
        con.execute(f"UPDATE listings SET {assignments} FROM retag_arrow s WHERE listings.id = s.id")
    finally:
        con.unregister("retag_arrow")


def mark_duplicates(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Cross-source duplicates among open listings (pipeline.warehouse.dedupe); changes recorded in history."""
    rows = con.execute(
        "SELECT id, source, employer.name, title, remote, url, apply_url, first_seen, duplicate_of "
        "FROM listings WHERE status = 'open'"
    ).fetchall()
    ids, sources, employers, titles, remotes, urls, apply_urls, first_seen, marked = (
        [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(9)])
    del rows

    def locations_of(positions: list[int]) -> list[Any]:
        # Places are read only for listings dedupe must compare (same employer and title as a
        # listing of another source): reading every listing's places costs more than the rest.
        wanted = [ids[p] for p in positions]
        found = dict(con.execute("SELECT id, locations FROM listings WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                 [wanted]).fetchall())
        return [found.get(i) for i in wanted]

    found = dedupe.find_duplicates_columns(ids, sources, employers, titles, locations_of, remotes, urls, apply_urls,
                                           first_seen)
    changes = [(i, found.get(i)) for i, mark in zip(ids, marked, strict=True) if found.get(i) != mark]
    if changes:
        table = pa.table({"id": pa.array([c[0] for c in changes], pa.string()),
                          "duplicate_of": pa.array([c[1] for c in changes], pa.string())})
        con.register("dup_arrow", table)
        try:
            con.execute(
                "INSERT INTO listing_history SELECT l.id, ?, 'changed', ['duplicate_of'], l.content_hash, NULL, "
                "CASE WHEN s.duplicate_of IS NULL THEN 'no longer a duplicate' "
                "ELSE 'cross-source duplicate of ' || s.duplicate_of END "
                "FROM listings l JOIN dup_arrow s ON s.id = l.id",
                [now],
            )
            con.execute("UPDATE listings SET duplicate_of = s.duplicate_of FROM dup_arrow s WHERE listings.id = s.id")
        finally:
            con.unregister("dup_arrow")
    return sum(1 for v in found.values() if v is not None)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while fingerprinting and collecting results: each makes
    hundreds of thousands of small tuples and dicts, which set off collections that walk every
    object of the process (millions, with 100,000 listings in memory) and find no cycles to
    free: reference counting frees all of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the load -----------------------------------------------------------------------------------


def default_workers() -> int:
    """Normalizing processes when none are asked for: one per core, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def load(
    warehouse: Path,
    raw_dir: Path,
    now: datetime | None = None,
    *,
    close_unseen_after_days: float = DEFAULT_CLOSE_UNSEEN_AFTER_DAYS,
    workers: int | None = None,
    occupations: bool = True,
    dense_view: DenseView = DEFAULT_DENSE_VIEW,
    registry_records: Sequence[tuple[RegistryRecord, str]] = (),
    progress: Progress = no_progress,
) -> LoadReport:
    """Load every pending raw run (and any registry records given) into the warehouse.

    ``workers``: normalizing processes (None: default_workers()); ``occupations``: classify the
    occupations of new and changed listings, with ``dense_view`` saying whether and how the
    dense view runs; ``registry_records`` are (record, origin label) pairs read by the caller
    from a registry file. ``progress`` hears the stages (pipeline.progress): scan,
    normalize (lines parsed, normalized and tagged), employers (registry matching),
    occupations, upsert and dedupe.
    """
    start = time.perf_counter()
    now = now or utcnow()
    report = LoadReport()
    con = connect(warehouse)
    try:
        runs = _pending_run_reports(raw_dir, con, report)
        batch = _Batch(registry=list(registry_records))
        progress("scan", 0, len(runs))
        scanned = _scan_stage(con, runs, batch, report, start)
        progress("scan", len(runs), len(runs))
        _normalize_stage(runs, scanned, batch, report, now, workers or default_workers(), progress)
        with transaction(con):
            with _timed(report, "registry_s"):
                index = _registry_stage(con, batch, report, now)
            with _timed(report, "enrich_s"):
                table = _enrich_stage(batch, index, report, now, occupations, dense_view, progress)
            with _timed(report, "support_s"):
                _support_stage(con, runs, batch, report, now)
            upserted = sum(run.items for _, run in runs)  # new and changed written, the rest seen again
            with _timed(report, "write_s"), _reported(progress, "upsert", upserted):
                _write_stage(con, runs, batch, table, index, report, now)
                _close_stage(con, batch, report, now, close_unseen_after_days)
            open_listings = con.execute("SELECT count(*) FROM listings WHERE status = 'open'").fetchall()[0][0]
            with _timed(report, "dedupe_s"), _reported(progress, "dedupe", int(open_listings)):
                _dedupe_stage(con, batch, report, now)
            commit_started = time.perf_counter()
    finally:
        con.close()
    # Commit and close: DuckDB writes the transaction and checkpoints the file here.
    report.timings["commit_s"] = time.perf_counter() - commit_started
    report.timings["total_s"] = time.perf_counter() - start
    return report


@contextlib.contextmanager
def _timed(report: LoadReport, key: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report.timings[key] = time.perf_counter() - started


@contextlib.contextmanager
def _reported(progress: Progress, stage: str, total: int) -> Iterator[None]:
    """A stage done in one piece: started with nothing done, finished with all of it."""
    progress(stage, 0, total)
    yield
    progress(stage, total, total)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _pending_run_reports(raw_dir: Path, con: duckdb.DuckDBPyConnection,
                         report: LoadReport) -> list[tuple[Path, RunReport]]:
    """The raw runs not loaded yet, each with its (empty) report and whether its crawl succeeded."""
    runs: list[tuple[Path, RunReport]] = []
    for path in pending_runs(raw_dir, con) if raw_dir.exists() else []:
        run = RunReport(path=path.relative_to(raw_dir).as_posix(), source=path.parent.name)
        run.successful = freshness.run_succeeded(raw_dir, run.source, path.name)
        runs.append((path, run))
        report.runs.append(run)
    return runs


def _scan_stage(con: duckdb.DuckDBPyConnection, runs: list[tuple[Path, RunReport]], batch: _Batch,
                report: LoadReport, start: float) -> tuple[list[Fresh], dict[str, str]]:
    """Lines to parse, and every listing's content hash when some line must be parsed."""
    with _no_gc():
        fresh = _scan(runs, con, batch) if runs else []
    # Every listing's content hash, for telling new, changed and unchanged items apart:
    # read only when some line must be parsed (a reload of unchanged runs never needs it).
    known = dict(con.execute("SELECT id, content_hash FROM listings").fetchall()) if fresh else {}
    report.timings["scan_s"] = time.perf_counter() - start
    return fresh, known


def _normalize_stage(runs: list[tuple[Path, RunReport]], scanned: tuple[list[Fresh], dict[str, str]],
                     batch: _Batch, report: LoadReport, now: datetime, workers: int,
                     progress: Progress = no_progress) -> None:
    """Parse and normalize the fresh lines in the process pool; sort the outcomes into the batch."""
    fresh, known = scanned
    done = 0

    def chunk_done(lines: int) -> None:
        nonlocal done
        done += lines
        progress("normalize", done, len(fresh))

    progress("normalize", 0, len(fresh))
    with _timed(report, "normalize_s"), _no_gc():
        parsed = parse(fresh, [r.source for _, r in runs], known, workers, on_chunk=chunk_done)
        _collect(parsed, runs, known, batch, now)
        del parsed
    progress("normalize", len(fresh), len(fresh))
    batch.listing_sources = {r.source for _, r in runs
                             if r.successful and (r.items - r.registry_records - r.support_items) > 0}


def _registry_stage(con: duckdb.DuckDBPyConnection, batch: _Batch, report: LoadReport,
                    now: datetime) -> RegistryIndex | None:
    """Registry records upserted; the matching index, when listings or the registry need it."""
    report.registry_changed = upsert_registry(con, batch.registry, now)
    return registry_index(con) if (batch.listings or report.registry_changed) else None


def _enrich_stage(batch: _Batch, index: RegistryIndex | None, report: LoadReport, now: datetime,
                  occupations: bool, dense_view: DenseView, progress: Progress = no_progress) -> pa.Table | None:
    """The new and changed listings as one Arrow table, registry-tagged, classified and scored
    (employers, then occupations: two stages, each timed and reported)."""
    table = _listing_table(batch, now) if batch.listings else None
    batch.parts.clear()
    if table is None:
        return None
    with _timed(report, "employers_s"), _reported(progress, "employers", table.num_rows):
        table = enrich_table(table, index)
    with _timed(report, "occupations_s"), _reported(progress, "occupations", table.num_rows if occupations else 0):
        table = enrich_table(table, None, occupations=occupations, dense_view=dense_view)
    report.occupations = table.num_rows - table["occupation"].null_count
    return table


def _support_stage(con: duckdb.DuckDBPyConnection, runs: list[tuple[Path, RunReport]], batch: _Batch,
                   report: LoadReport, now: datetime) -> None:
    """Support offices and Hello Work areas written (pipeline/support/store.py); their quarantined
    rows join the batch's quarantine and the counts of their runs."""
    report.support, quarantined = store_support(con, batch.support, now)
    by_path = {run.path: run for _, run in runs}
    for row in quarantined:
        by_path[row["raw_run"]].quarantined[row["reason"]] += 1
    batch.quarantine.extend(quarantined)


def _write_stage(con: duckdb.DuckDBPyConnection, runs: list[tuple[Path, RunReport]], batch: _Batch,
                 table: pa.Table | None, index: RegistryIndex | None, report: LoadReport, now: datetime) -> None:
    """Listings written; after a registry change, the other open listings re-tagged; runs recorded
    with the fingerprints of the signal tagger that tagged them."""
    _write_listings(con, batch, table, now)
    if report.registry_changed:
        report.retagged = retag_open_listings(con, index, now, skip=set(batch.listings))
    if not runs:
        return
    fingerprint = tagger_fingerprint()
    for path, run in runs:
        con.execute(
            "INSERT INTO raw_runs (path, source, run_id, size_bytes, loaded_at, items, new, changed, "
            "unchanged, quarantined, successful, registry_records, kind, vocabulary, tagger) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'load', ?, ?)",
            [run.path, run.source, path.stem, path.stat().st_size, now, run.items, run.new, run.changed,
             run.unchanged, sum(run.quarantined.values()), run.successful, run.registry_records,
             fingerprint.vocabulary, fingerprint.tagger],
        )


def _close_stage(con: duckdb.DuckDBPyConnection, batch: _Batch, report: LoadReport, now: datetime,
                 close_unseen_after_days: float) -> None:
    """Listings past valid_through, or unseen too long after a successful run of their source, close."""
    report.closed["expired"] = freshness.close_expired(con, now)
    report.closed["unseen"] = freshness.close_unseen(con, batch.listing_sources, now, close_unseen_after_days)


def _dedupe_stage(con: duckdb.DuckDBPyConnection, batch: _Batch, report: LoadReport, now: datetime) -> None:
    """Cross-source duplicates re-marked when open listings changed; else only counted."""
    if batch.listings or report.retagged or sum(report.closed.values()):
        report.duplicates = mark_duplicates(con, now)
    else:
        report.duplicates = con.execute(
            "SELECT count(*) FROM listings WHERE status = 'open' AND duplicate_of IS NOT NULL").fetchall()[0][0]
