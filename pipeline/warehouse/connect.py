"""Open the warehouse (the pipeline is its only writer) and bring its schema up to date.

Migrations are the numbered files in pipeline/warehouse/schema/ (NNNN_name.sql), applied in order
once each and recorded in ``schema_version``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.errors import WarehouseBusyError

SCHEMA_DIR = Path(__file__).with_name("schema")
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def utcnow() -> datetime:
    """Naive UTC now, the warehouse's timestamp convention."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    done = []
    for version, name, path in migrations():
        if version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utcnow()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(version)
    return done


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, creating and migrating it as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False)
    con.execute("SET TimeZone = 'UTC'") if _has_icu(con) else None
    # Listings carry kilobytes of description text and HTML each. With DuckDB's automatic
    # choice, the checkpoint analyses FSST and dictionary encodings for every string segment:
    # closing after 20,000 generated listings took 2.2 s and left 62 MB; forced zstd took
    # 0.4 s and left 11 MB (benchmarks/bench_load.py items, which repeat real paragraphs and so
    # compress better than real pages would). Scans of the zstd file were no slower.
    con.execute("SET force_compression = 'zstd'")
    migrate(con)
    return con


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse to read only (no migration); refused while another process writes it."""
    return _open(path, read_only=True)


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(
                f"the warehouse {path} is being written by another ippo process; "
                "wait for it to finish (only one load, publish or retag runs at a time)"
            ) from exc
        raise


def _has_icu(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return bool(con.execute("SELECT count(*) FROM duckdb_settings() WHERE name = 'TimeZone'").fetchall()[0][0])
    except duckdb.Error:
        return False
