"""The one writer of serving snapshots (``ippo publish`` and the generated benchmark data).

A snapshot is a new DuckDB file ``serving/<version>.duckdb``; readers (the API, notebooks)
open it read-only and never wait on the warehouse's write lock. Writing one is a sequence of
stages on a ``<version>.duckdb.building`` file:

1. ``fill`` creates the ``listings`` table (and any other table the caller copies in);
2. the listings get the columns serving reads instead of running pipeline code per request
   (``pipeline.warehouse.serving_columns``), and the support tables of
   ``pipeline.support.tables`` that the fill did not create are created empty;
3. enrichers add their tables (the ranker's embeddings) and report figures for ``extra``;
4. ``snapshot_meta`` records the version, the time, ``extra`` and the format
   (``pipeline.canonical.SNAPSHOT_FORMAT``);
5. the file is renamed into place and ``serving/current.json`` is swapped with one atomic,
   fsynced ``os.replace`` (``pipeline.warehouse.pointer``), so a reader sees either the old
   snapshot or the new one, never half of one.

The writer holds the shared build lock of ``pipeline.warehouse.build_files`` while its build
file exists, so that pruning the leftovers of killed publishes never takes a running one's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.canonical import SNAPSHOT_FORMAT
from pipeline.support.tables import ensure_snapshot_tables
from pipeline.warehouse.build_files import StaleBuilds, holding_build_lock
from pipeline.warehouse.pointer import POINTER, current_snapshot, point_to
from pipeline.warehouse.serving_columns import add_serving_columns

KEEP_SNAPSHOTS = 3
__all__ = ["KEEP_SNAPSHOTS", "POINTER", "PublishResult", "current_snapshot", "point_to", "prune", "write_snapshot"]

Enricher = Callable[[duckdb.DuckDBPyConnection], dict[str, object]]
Filler = Callable[[Path], None]


@dataclass
class PublishResult:
    version: str
    path: Path
    listings: int
    open_listings: int
    extra: dict[str, object] = field(default_factory=dict)
    # Leftovers of interrupted publishes removed before this one (``ippo publish`` only).
    stale_builds: StaleBuilds = field(default_factory=StaleBuilds)


def new_version() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def write_snapshot(
    serving_dir: Path, fill: Filler, enrichers: Sequence[Enricher] = (), version: str | None = None,
    extra: dict[str, object] | None = None,
) -> PublishResult:
    """Write a snapshot whose tables ``fill`` creates, and make it the current one."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    version = version or new_version()
    final = serving_dir / f"{version}.duckdb"
    building = serving_dir / f"{version}.duckdb.building"
    with holding_build_lock(serving_dir):  # so no publish's pruning takes this build for a stale one
        building.unlink(missing_ok=True)
        try:
            fill(building)
            result = _complete(building, version, enrichers, dict(extra or {}))
        except BaseException:
            building.unlink(missing_ok=True)
            raise
        os.replace(building, final)
        point_to(serving_dir, final, version)
    result.path = final
    return result


def _complete(building: Path, version: str, enrichers: Sequence[Enricher], extra: dict[str, object]) -> PublishResult:
    """Stages 2-4 on the filled file: serving columns, enrichers, meta; counts for the result."""
    con = duckdb.connect(str(building))
    try:
        add_serving_columns(con)
        ensure_snapshot_tables(con)  # the support tables, empty when the fill had none to copy
        for enrich in enrichers:
            extra.update(enrich(con))
        write_meta(con, version, extra)
        total, open_count = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM listings"
        ).fetchall()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return PublishResult(version=version, path=building, listings=int(total), open_listings=int(open_count),
                         extra=extra)


def write_meta(con: duckdb.DuckDBPyConnection, version: str, extra: dict[str, object]) -> None:
    con.execute(
        "CREATE TABLE snapshot_meta AS SELECT ? AS version, ? AS published_at, ? AS extra, ? AS format",
        [version, datetime.now(UTC).replace(tzinfo=None), json.dumps(extra, default=str), SNAPSHOT_FORMAT],
    )


def prune(serving_dir: Path, keep: Path) -> None:
    """Delete all but the newest KEEP_SNAPSHOTS snapshots (never ``keep``)."""
    snapshots = sorted(serving_dir.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    for old in snapshots[KEEP_SNAPSHOTS:]:
        if old != keep:
            old.unlink(missing_ok=True)  # open readers keep their handle; the file goes when they close
