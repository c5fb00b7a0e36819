"""The listing's columns are declared once, in pipeline/canonical.py; the Arrow schema is derived
from it, and the SQL migrations and every kind of snapshot must agree with it, name by name
and type by type. Adding a field in one place only fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_type_hints

import duckdb
import pyarrow as pa

from benchmarks.generated_snapshot import write_snapshot
from pipeline.canonical import Listing, ServingListing
from pipeline.warehouse.arrow import LISTING_SCHEMA, SERVING_FIELDS
from pipeline.warehouse.connect import connect
from pipeline.warehouse.pointer import current_snapshot

LOADER_ONLY = {"closed_reason", "raw_run"}


def _duckdb_columns(schema: pa.Schema) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a table created from an empty Arrow table of this schema."""
    con = duckdb.connect()
    try:
        con.register("empty", schema.empty_table())
        return con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM empty)").fetchall()
    finally:
        con.close()


def _table_columns(path: Path, table: str = "listings") -> list[tuple[str, str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
    finally:
        con.close()


def test_the_arrow_schema_is_the_canonical_listing_plus_the_loader_columns() -> None:
    canonical = list(get_type_hints(Listing))
    assert [name for name in LISTING_SCHEMA.names if name not in LOADER_ONLY] == canonical
    serving = [name for name in get_type_hints(ServingListing) if name not in canonical]
    assert SERVING_FIELDS.names == serving


def test_the_warehouse_migrations_declare_the_same_columns(tmp_path: Path) -> None:
    connect(tmp_path / "warehouse.duckdb").close()
    assert _table_columns(tmp_path / "warehouse.duckdb") == _duckdb_columns(LISTING_SCHEMA)


def _snapshot_columns() -> list[tuple[str, str]]:
    return _duckdb_columns(pa.schema([*LISTING_SCHEMA, *SERVING_FIELDS]))


def test_a_generated_snapshot_has_the_published_listing_columns(tmp_path: Path) -> None:
    row: dict[str, Any] = {"id": "g1", "title": "清掃スタッフ", "status": "open", "language": "ja",
                           "description": "清掃", "signals": [], "employment_types": []}
    snapshot = write_snapshot([row], None, tmp_path / "serving", version="20261126T000000Z")
    assert _table_columns(snapshot) == _snapshot_columns()


def test_a_published_snapshot_has_the_same_columns(published: Path) -> None:
    snapshot = current_snapshot(published / "serving")
    assert snapshot is not None
    assert _table_columns(snapshot) == _snapshot_columns()


def test_the_listing_facts_arrive_in_the_published_snapshot(published: Path) -> None:
    snapshot = current_snapshot(published / "serving")
    assert snapshot is not None
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        unset, levels = con.execute(
            "SELECT count(*) FILTER (WHERE remote_regions IS NULL OR suspicious IS NULL), "
            "count(*) FILTER (WHERE seniority IS NOT NULL) FROM listings"
        ).fetchall()[0]
    finally:
        con.close()
    assert unset == 0
    assert levels > 0
