"""The support tables of a serving snapshot, declared once (docs/support.md is the contract).

The warehouse migration (schema/0005_support.sql) and ``ippo publish`` both follow these
declarations; tests/pipeline/support/test_tables.py fails when one of them drifts.
"""

from __future__ import annotations

import duckdb

Columns = tuple[tuple[str, str], ...]

SUPPORT_OFFICES: Columns = (
    ("office_id", "VARCHAR"),
    ("office_number", "VARCHAR"),
    ("service_type", "VARCHAR"),
    ("service_label", "VARCHAR"),
    ("name", "VARCHAR"),
    ("name_kana", "VARCHAR"),
    ("operator_name", "VARCHAR"),
    ("operator_corporate_number", "VARCHAR"),
    ("municipality_code", "VARCHAR"),
    ("prefecture", "VARCHAR"),
    ("address", "VARCHAR"),
    ("phone", "VARCHAR"),
    ("url", "VARCHAR"),
    ("hours_weekday", "VARCHAR"),
    ("hours_saturday", "VARCHAR"),
    ("hours_sunday", "VARCHAR"),
    ("hours_holiday", "VARCHAR"),
    ("closed_days", "VARCHAR"),
    ("days_note", "VARCHAR"),
    ("capacity", "INTEGER"),
    ("lat", "DOUBLE"),
    ("lng", "DOUBLE"),
    ("first_seen", "TIMESTAMP"),
    ("last_seen", "TIMESTAMP"),
)

# The published support_offices: the contract's columns and WAM's row number (NO), which tells a
# 従たる事業所 from the main office of its number (its office_id ends in ':<wam_no>').
PUBLISHED_OFFICES: Columns = (*SUPPORT_OFFICES, ("wam_no", "VARCHAR"))

HELLOWORK_AREAS: Columns = (
    ("municipality_code", "VARCHAR"),
    ("postal_code", "VARCHAR"),
    ("office", "VARCHAR"),
)

AREA_CENTROIDS: Columns = (
    ("area_code", "VARCHAR"),
    ("level", "VARCHAR"),
    ("name", "VARCHAR"),
    ("lat", "DOUBLE"),
    ("lng", "DOUBLE"),
    ("offices", "INTEGER"),
)

SNAPSHOT_TABLES: dict[str, Columns] = {
    "support_offices": PUBLISHED_OFFICES,
    "hellowork_areas": HELLOWORK_AREAS,
    "area_centroids": AREA_CENTROIDS,
}

# Columns the warehouse keeps beside the contract's (history and provenance; of these only wam_no
# is published, as the last column of PUBLISHED_OFFICES).
WAREHOUSE_ONLY_OFFICE_COLUMNS: Columns = (
    ("authority_code", "VARCHAR"),
    ("authority_name", "VARCHAR"),
    ("wam_no", "VARCHAR"),
    ("status", "VARCHAR"),
    ("closed_reason", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("raw_run", "VARCHAR"),
)

# Office columns compared to tell what changed (for history): everything the source says.
TRACKED_OFFICE_FIELDS: tuple[str, ...] = tuple(
    name for name, _ in (*SUPPORT_OFFICES, *WAREHOUSE_ONLY_OFFICE_COLUMNS)
    if name not in ("office_id", "first_seen", "last_seen", "status", "closed_reason", "content_hash", "raw_run")
)


def create_table_sql(table: str, columns: Columns) -> str:
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{n} {t}' for n, t in columns)})"


def ensure_snapshot_tables(con: duckdb.DuckDBPyConnection, schema: str | None = None) -> None:
    """Create each support table of a snapshot that is not there yet, empty (a snapshot published
    before any support data was loaded still has them)."""
    prefix = f"{schema}." if schema else ""
    for table, columns in SNAPSHOT_TABLES.items():
        con.execute(create_table_sql(prefix + table, columns))
