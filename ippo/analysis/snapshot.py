"""Which snapshot a notebook reads, opened read-only, and what it holds."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from ippo.config import Settings
from pipeline.warehouse.pointer import current_snapshot
from ranker.snapshot_tables import has_table

SNAPSHOT_ENV = "IPPO_SNAPSHOT"
UNKNOWN = "unknown"  # how every query labels a field the listing does not state


class SnapshotNotFoundError(FileNotFoundError):
    """No snapshot file where the notebook was told to look."""


def snapshot_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The snapshot to read: ``given`` when set, else $IPPO_SNAPSHOT, else the current snapshot of
    $IPPO_HOME (what ``ippo publish`` last swapped in). Never the warehouse."""
    chosen = str(given or "") or os.environ.get(SNAPSHOT_ENV, "")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise SnapshotNotFoundError(
                f"snapshot {path} does not exist: give the path of a published snapshot "
                f"(<IPPO_HOME>/serving/<version>.duckdb) or unset {SNAPSHOT_ENV} to read the current one")
        return path
    serving = Settings().serving_dir
    current = current_snapshot(serving)
    if current is None:
        raise SnapshotNotFoundError(
            f"no published snapshot in {serving}: run `ippo demo` or `ippo refresh` first, "
            f"or set {SNAPSHOT_ENV} to a snapshot file")
    return current


def open_snapshot(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot (:func:`snapshot_path` says which)."""
    return duckdb.connect(str(snapshot_path(path)), read_only=True)


def snapshot_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: the snapshot's version and publication time, listings open and closed, and
    whether it carries the listing history."""
    meta = (con.sql("SELECT version, published_at FROM snapshot_meta").df() if has_table(con, "snapshot_meta")
            else pd.DataFrame({"version": [UNKNOWN], "published_at": [pd.NaT]}))
    counts = con.sql("""
        SELECT count(*) AS listings, count(*) FILTER (status = 'open') AS open,
               count(*) FILTER (status = 'closed') AS closed, count(DISTINCT source) AS sources
        FROM listings""").df()
    summary = pd.concat([meta.head(1).reset_index(drop=True), counts], axis=1)
    summary["has_history"] = has_table(con, "listing_history")
    return summary
