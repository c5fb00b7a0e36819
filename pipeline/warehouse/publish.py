"""`ippo publish`: copy the warehouse into a read-only serving snapshot and swap it in.

The snapshot is written by the one snapshot writer (``pipeline.warehouse.snapshot``: serving
columns, enrichers such as the ranker's embeddings, meta, atomic pointer swap); this module
decides what of the warehouse goes into it. Before writing, it removes the build files that
killed publishes left in ``serving/`` (``pipeline.warehouse.build_files``: never a running
publish's) and reports them in ``PublishResult.stale_builds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.progress import Progress, no_progress
from pipeline.support.publish import copy_support_tables
from pipeline.warehouse.build_files import prune_stale_builds
from pipeline.warehouse.connect import connect
from pipeline.warehouse.snapshot import (
    KEEP_SNAPSHOTS,
    POINTER,
    Enricher,
    Filler,
    PublishResult,
    current_snapshot,
    prune,
    write_snapshot,
)

__all__ = ["KEEP_SNAPSHOTS", "POINTER", "Enricher", "PublishResult", "current_snapshot", "publish"]

# What a snapshot carries: readers need listings (all of them, with status, for analysts) and
# history, and the support tables (open offices, Hello Work areas, area centroids: see
# pipeline/support/publish.py); quarantine and raw_runs stay in the warehouse.
_SNAPSHOT_TABLES = ("listings", "listing_history", "schema_version")


def _copy_warehouse(warehouse: Path, progress: Progress = no_progress) -> Filler:
    def fill(building: Path) -> None:
        con = connect(warehouse)
        try:
            listings = int(con.execute("SELECT count(*) FROM listings").fetchall()[0][0])
            progress("copy", 0, listings)
            con.execute(f"ATTACH '{building.as_posix()}' AS snap")
            for table in _SNAPSHOT_TABLES:
                con.execute(f"CREATE TABLE snap.{table} AS SELECT * FROM {table}")
            copy_support_tables(con, "snap")
            con.execute("DETACH snap")
            progress("copy", listings, listings)
        finally:
            con.close()

    return fill


def publish(warehouse: Path, serving_dir: Path, enrichers: Sequence[Enricher] = (),
            progress: Progress = no_progress) -> PublishResult:
    """Remove the build files that killed publishes left, write the new snapshot, keep the newest.

    ``progress`` hears the stage ``copy`` (listings copied into the snapshot); enrichers report
    their own stages to whatever listener they were given."""
    stale = prune_stale_builds(serving_dir)
    result = write_snapshot(serving_dir, _copy_warehouse(warehouse, progress), enrichers)
    result.stale_builds = stale
    prune(serving_dir, result.path)
    return result
