"""The support tables of a snapshot: declared once (pipeline/support/tables.py), created by the
migration with the same columns, published with the contract's columns and types, empty before
any support data was loaded."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.support.tables import (
    AREA_CENTROIDS,
    HELLOWORK_AREAS,
    SNAPSHOT_TABLES,
    SUPPORT_OFFICES,
    WAREHOUSE_ONLY_OFFICE_COLUMNS,
)
from pipeline.warehouse.connect import connect
from pipeline.warehouse.load import load
from pipeline.warehouse.publish import publish
from tests.conftest import shared_data
from tests.pipeline.support.wam_files import run_lines, wam_rows, write_run


def _columns(path: Path, table: str) -> list[tuple[str, str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
    finally:
        con.close()


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_migration_declares_the_contract_columns_then_the_warehouse_ones(tmp_path: Path) -> None:
    connect(tmp_path / "w.duckdb").close()
    assert _columns(tmp_path / "w.duckdb", "support_offices") == [*SUPPORT_OFFICES, *WAREHOUSE_ONLY_OFFICE_COLUMNS]
    warehouse_areas = _columns(tmp_path / "w.duckdb", "hellowork_areas")
    assert warehouse_areas[: len(HELLOWORK_AREAS)] == list(HELLOWORK_AREAS)


def test_the_declared_shapes_are_the_contract() -> None:
    assert [n for n, _ in SUPPORT_OFFICES] == [
        "office_id", "office_number", "service_type", "service_label", "name", "name_kana", "operator_name",
        "operator_corporate_number", "municipality_code", "prefecture", "address", "phone", "url",
        "hours_weekday", "hours_saturday", "hours_sunday", "hours_holiday", "closed_days", "days_note",
        "capacity", "lat", "lng", "first_seen", "last_seen"]
    assert dict(SUPPORT_OFFICES)["capacity"] == "INTEGER" and dict(SUPPORT_OFFICES)["lat"] == "DOUBLE"
    assert [n for n, _ in HELLOWORK_AREAS] == ["municipality_code", "postal_code", "office"]
    assert [n for n, _ in AREA_CENTROIDS] == ["area_code", "level", "name", "lat", "lng", "offices"]


def test_a_snapshot_published_before_support_data_has_the_tables_empty(tmp_path: Path) -> None:
    connect(tmp_path / "w.duckdb").close()
    result = publish(tmp_path / "w.duckdb", tmp_path / "serving")
    for table, columns in SNAPSHOT_TABLES.items():
        assert _columns(result.path, table) == list(columns)
        assert _rows(result.path, f"SELECT count(*) FROM {table}") == [(0,)]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("support-publish")
    file = "wam_2022_shuro_ikou_shien.csv"
    rows = wam_rows(file)
    write_run(home / "raw", "20261101T000000Z", run_lines(file, rows))
    jurisdiction = shared_data("hellowork_jurisdiction")
    tables = [json.loads((jurisdiction / name).read_text(encoding="utf-8"))
              for name in ("hellowork_by_municipality_code.json", "hellowork_by_zip7_exceptions.json")]
    write_run(home / "raw", "20261101T000001Z", [
        {"kind": "hellowork_table", "source": "hellowork-areas", "url": f"file:///mirror/{n}.json",
         "payload": {"file": f"file:///mirror/{n}.json", "data": t}} for n, t in zip(("zip5", "zip7"), tables,
                                                                                      strict=True)],
        source="hellowork-areas")
    load(home / "warehouse.duckdb", home / "raw", now=datetime(2026, 11, 1), workers=1, occupations=False)
    # A later full refresh without the first office closes it: it must not be published.
    write_run(home / "raw", "20261102T000000Z", run_lines(file, rows[1:]))
    load(home / "warehouse.duckdb", home / "raw", now=datetime(2026, 11, 2), workers=1, occupations=False)
    return publish(home / "warehouse.duckdb", home / "serving").path


def test_the_published_tables_have_the_contract_columns_and_types(snapshot: Path) -> None:
    for table, columns in SNAPSHOT_TABLES.items():
        assert _columns(snapshot, table) == list(columns)


def test_only_open_offices_are_published(snapshot: Path) -> None:
    assert _rows(snapshot, "SELECT count(*) FROM support_offices") == [(3181 - 1,)]
    assert _rows(snapshot, "SELECT count(*) FROM support_offices WHERE office_id = '0110103785:shuro_ikou'") == [(0,)]


def test_published_offices_keep_their_place_and_history_times(snapshot: Path) -> None:
    [(code, number, first, last)] = _rows(
        snapshot, "SELECT municipality_code, office_number, first_seen, last_seen FROM support_offices "
                  "WHERE office_id = '0110104114:shuro_ikou'")
    assert (code, number) == ("01101", "0110104114")
    assert (first, last) == (datetime(2026, 11, 1), datetime(2026, 11, 2))


def test_area_centroids_are_means_of_office_coordinates(snapshot: Path) -> None:
    [(name, lat, lng, offices)] = _rows(snapshot, "SELECT name, lat, lng, offices FROM area_centroids "
                                                  "WHERE area_code = '01101' AND level = 'municipality'")
    expected = _rows(snapshot, "SELECT avg(lat), avg(lng), count(*) FROM support_offices "
                               "WHERE municipality_code = '01101' AND lat IS NOT NULL")[0]
    assert name == "札幌市中央区"
    assert (lat, lng, offices) == pytest.approx(expected)
    [(pref_name, pref_offices)] = _rows(snapshot, "SELECT name, offices FROM area_centroids "
                                                  "WHERE area_code = '13' AND level = 'prefecture'")
    assert pref_name == "東京都" and pref_offices > 100


def test_hellowork_areas_are_published_with_postcode_exceptions(snapshot: Path) -> None:
    assert _rows(snapshot, "SELECT office FROM hellowork_areas WHERE municipality_code = '01101' "
                           "AND postal_code IS NULL") == [("札幌",)]
    assert _rows(snapshot, "SELECT municipality_code, office FROM hellowork_areas WHERE postal_code = '0494431'") == [
        ("01371", "函館 八雲出張所")]


def test_satellite_offices_are_published_with_their_wam_no(snapshot: Path) -> None:
    satellites = _rows(snapshot, "SELECT office_id, office_number, service_type, wam_no FROM support_offices "
                       "WHERE office_id LIKE '%:%:%'")
    assert len(satellites) == 30  # 従たる事業所 of the 就労移行支援 file
    assert all(i == f"{n}:{t}:{w}" for i, n, t, w in satellites)
    numbers = [n for _, n, _, _ in satellites]
    listed = ", ".join(f"'{n}'" for n in numbers)  # ten digits each
    mains = _rows(snapshot, "SELECT count(DISTINCT office_number) FROM support_offices WHERE office_id = "
                  f"office_number || ':' || service_type AND office_number IN ({listed})")
    assert mains == [(len(set(numbers)),)]
    assert _rows(snapshot, "SELECT count(*) - count(DISTINCT office_id) FROM support_offices") == [(0,)]
