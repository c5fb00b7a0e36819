"""`ippo publish`: copy the warehouse into a read-only serving snapshot and swap it in.

A snapshot is a new DuckDB file ``serving/<version>.duckdb``; readers (the API, notebooks)
open it read-only and never wait on the warehouse's write lock. The swap is one atomic
``os.replace`` of ``serving/current.json``, so a reader sees either the old snapshot or the
new one, never half of one. Enrichers (the ranker's embeddings) add their tables to the new
file before the swap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.warehouse.connect import connect

POINTER = "current.json"
KEEP_SNAPSHOTS = 3

Enricher = Callable[[duckdb.DuckDBPyConnection], dict[str, object]]

# What a snapshot carries: readers need listings (all of them, with status, for analysts) and
# history; quarantine and raw_runs stay in the warehouse.
_SNAPSHOT_TABLES = ("listings", "listing_history", "schema_version")


@dataclass
class PublishResult:
    version: str
    path: Path
    listings: int
    open_listings: int
    extra: dict[str, object]


def current_snapshot(serving_dir: Path) -> Path | None:
    """The snapshot readers should open now, or None before the first publish."""
    pointer = serving_dir / POINTER
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    path = serving_dir / data["file"]
    return path if path.exists() else None


def _prune(serving_dir: Path, keep: Path) -> None:
    snapshots = sorted(serving_dir.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    for old in snapshots[KEEP_SNAPSHOTS:]:
        if old != keep:
            old.unlink(missing_ok=True)  # open readers keep their handle; the file goes when they close


def publish(warehouse: Path, serving_dir: Path, enrichers: Sequence[Enricher] = ()) -> PublishResult:
    serving_dir.mkdir(parents=True, exist_ok=True)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = serving_dir / f"{version}.duckdb"
    building = serving_dir / f"{version}.duckdb.building"
    building.unlink(missing_ok=True)
    con = connect(warehouse)
    try:
        con.execute(f"ATTACH '{building.as_posix()}' AS snap")
        for table in _SNAPSHOT_TABLES:
            con.execute(f"CREATE TABLE snap.{table} AS SELECT * FROM {table}")
        counts = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM listings"
        ).fetchall()[0]
        con.execute("DETACH snap")
    finally:
        con.close()
    extra: dict[str, object] = {}
    snap = duckdb.connect(str(building))
    try:
        for enrich in enrichers:
            extra.update(enrich(snap))
        snap.execute(
            "CREATE TABLE snapshot_meta AS SELECT ? AS version, ? AS published_at, ? AS extra",
            [version, datetime.now(UTC).replace(tzinfo=None), json.dumps(extra, default=str)],
        )
        snap.execute("CHECKPOINT")
    finally:
        snap.close()
    os.replace(building, final)
    tmp = serving_dir / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"file": final.name, "version": version}), encoding="utf-8")
    os.replace(tmp, serving_dir / POINTER)
    _prune(serving_dir, final)
    total, open_count = counts if counts else (0, 0)
    return PublishResult(
        version=version, path=final, listings=int(total), open_listings=int(open_count), extra=extra
    )
