"""Support tables of a serving snapshot, copied from the warehouse (called by ``ippo publish``).

Open offices only (closed ones stay in the warehouse's history), every Hello Work area, and the
area centroids: the mean coordinates of the open offices of each municipality and prefecture,
for places the serving side knows only by code.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipeline.places.municipalities import PlaceCodeError, municipality_by_code
from pipeline.support.store import arrow_schema
from pipeline.support.tables import AREA_CENTROIDS, HELLOWORK_AREAS, PUBLISHED_OFFICES, ensure_snapshot_tables


def _names(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(name for name, _ in columns)


def _municipality_name(code: str) -> str | None:
    try:
        return municipality_by_code(code).name
    except PlaceCodeError:
        return None


def area_centroids(con: duckdb.DuckDBPyConnection, offices: str = "support_offices") -> pa.Table:
    """The centroid rows (AREA_CENTROIDS) of the offices in table ``offices`` (open ones only)."""
    located = f"FROM {offices} WHERE status = 'open' AND lat IS NOT NULL AND lng IS NOT NULL"
    municipalities = con.execute(
        f"SELECT municipality_code, avg(lat), avg(lng), count(*) {located} AND municipality_code IS NOT NULL "
        "GROUP BY municipality_code ORDER BY municipality_code").fetchall()
    prefectures = con.execute(
        f"SELECT substr(municipality_code, 1, 2), any_value(prefecture), avg(lat), avg(lng), count(*) {located} "
        "AND municipality_code IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    rows = [{"area_code": code, "level": "municipality", "name": _municipality_name(code), "lat": lat, "lng": lng,
             "offices": n} for code, lat, lng, n in municipalities]
    rows += [{"area_code": code, "level": "prefecture", "name": name, "lat": lat, "lng": lng, "offices": n}
             for code, name, lat, lng, n in prefectures]
    return pa.Table.from_pylist(rows, schema=arrow_schema(AREA_CENTROIDS))


def copy_support_tables(con: duckdb.DuckDBPyConnection, snapshot: str) -> dict[str, int]:
    """Fill the support tables of the attached snapshot ``snapshot`` from the warehouse ``con``;
    returns their row counts."""
    ensure_snapshot_tables(con, snapshot)
    con.execute(f"INSERT INTO {snapshot}.support_offices SELECT {_names(PUBLISHED_OFFICES)} FROM support_offices "
                "WHERE status = 'open' ORDER BY office_id")
    con.execute(f"INSERT INTO {snapshot}.hellowork_areas SELECT {_names(HELLOWORK_AREAS)} FROM hellowork_areas "
                "ORDER BY municipality_code, postal_code NULLS FIRST, office")
    con.register("centroids_arrow", area_centroids(con))
    try:
        con.execute(f"INSERT INTO {snapshot}.area_centroids SELECT {_names(AREA_CENTROIDS)} FROM centroids_arrow")
    finally:
        con.unregister("centroids_arrow")
    return {table: int(con.execute(f"SELECT count(*) FROM {snapshot}.{table}").fetchall()[0][0])
            for table in ("support_offices", "hellowork_areas", "area_centroids")}
