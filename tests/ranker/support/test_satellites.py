"""A 従たる事業所 (satellite premises) listed by WAM under its main office's number is an office of
its own beside the main one: both are found near a place, each with its own id, on a snapshot of
real WAM NET rows as the loader reads them (pipeline.support.offices)."""

from __future__ import annotations

from pathlib import Path

from pipeline.support.offices import offices_from_rows
from ranker.profile import Home
from ranker.support.answer import support_near
from ranker.support.tables import read_support_tables
from tests.api.served import listing_row
from tests.pipeline.support.wam_files import wam_rows
from tests.ranker.support.fixture import VERSION, write_support_snapshot


def test_a_satellite_and_its_main_office_are_both_found(tmp_path: Path) -> None:
    offices, _ = offices_from_rows(wam_rows("wam_2022_shuro_keizoku_A.csv"))
    satellite = next(o for o in offices if o["office_id"].count(":") == 2 and o["prefecture"] == "東京都"
                     and o["lat"] is not None)
    pair = [o for o in offices if o["office_number"] == satellite["office_number"]]
    assert len(pair) >= 2 and all(o["lat"] is not None for o in pair)
    path = write_support_snapshot([listing_row("a1", "データ入力")], tmp_path / "serving",
                                  offices=[dict(o) for o in pair])
    tables = read_support_tables(path, VERSION)
    home = Home(lat=satellite["lat"], lon=satellite["lng"])
    found = support_near(tables, home, ["shuro_keizoku_a"], radius_km=50, limit=10)["offices"]
    assert sorted(o["office_id"] for o in found) == sorted(o["office_id"] for o in pair)
    assert {o["office_number"] for o in found} == {satellite["office_number"]}
    assert found[0]["office_id"] == satellite["office_id"] and found[0]["distance_km"] == 0
