"""ippo.analysis.support on a snapshot holding real WAM NET offices (tests/ranker/support/fixture.py:
nine in 東京都, one in 北海道) and listings whose every count is known; and on snapshots without
support data, where every query still answers and says so."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import pytest

from benchmarks.generated_snapshot import listing_table
from ippo.analysis import open_snapshot, support
from tests.ranker.support.fixture import OFFICES, write_support_snapshot


def _at(listing_id: str, region: str | None, locality: str | None, country: str = "JP", **extra: Any) -> dict:
    place = {"country": country, "region": region, "locality": locality, "postal_code": None}
    return {"id": listing_id, "source": "board", "title": listing_id, "locations": [place], "status": "open",
            "employer": {"name": "Acme", "registry_tags": []}, "signals": [], "supportiveness": 0.0, **extra}


LISTINGS = [
    _at("t1", "東京都", "中野区"), _at("t2", "東京都", "中野区"), _at("t3", "東京都", "千代田区"),
    _at("t4", "東京都", "新宿区"),  # no office in 新宿区: placed at 東京都's centroid
    _at("h1", "北海道", "札幌市中央区"), _at("h2", "北海道", "札幌市中央区"), _at("h3", "北海道", None),
    _at("o1", "大阪府", "大阪市"), _at("o2", "大阪府", "大阪市"), _at("o3", "大阪府", None),
    _at("f1", "福岡県", "福岡市"),
    _at("u1", None, None),  # in Japan, no prefecture stated
    _at("closed", "東京都", "中野区", status="closed"),
    _at("abroad", "CA", "San Francisco", country="US"),
]
MIN = 3  # listings needed for a rate in these tests (the default, 20, is for real data)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("analysis-support")
    bare = root / "bare.duckdb"  # published before the support tables existed: listings only
    con = duckdb.connect(str(bare))
    con.register("rows", listing_table(LISTINGS))
    con.execute("CREATE TABLE listings AS SELECT * FROM rows")
    con.close()
    return {"real": write_support_snapshot(LISTINGS, root / "real"),
            "empty": write_support_snapshot(LISTINGS, root / "empty", offices=[], hellowork=[]),
            "bare": bare}


@pytest.fixture
def open_(snapshots: dict[str, Path]):
    opened = []

    def opener(name: str) -> duckdb.DuckDBPyConnection:
        opened.append(open_snapshot(snapshots[name]))
        return opened[-1]

    yield opener
    for con in opened:
        con.close()


def _by(frame, column: str = "prefecture") -> dict[str, dict]:
    return {row[column]: row for row in frame.to_dict("records")}


def test_status_counts_the_real_offices_and_how_they_are_placed(open_) -> None:
    status = support.support_status(open_("real")).iloc[0]
    assert bool(status["loaded"]) and status["note"] == ""
    assert status["offices"] == len(OFFICES) == 10
    assert status["placed_by_coordinates"] == 9 and status["placed_at_centroid"] == 1 and status["unplaced"] == 0
    assert status["prefectures_with_offices"] == 2 and status["hellowork_areas"] == 9


def test_an_office_without_coordinates_is_at_its_municipality_centroid(open_) -> None:
    points = support.office_points(open_("real")).set_index("office_id")
    litalico = points.loc["1310100654:shuro_ikou"]
    chiyoda = [o for o in OFFICES if o["municipality_code"] == "13101" and o["lat"] is not None]
    assert litalico["placed_by"] == "municipality centroid"
    assert litalico["lat"] == pytest.approx(sum(o["lat"] for o in chiyoda) / len(chiyoda))
    assert points.loc["0110103785:shuro_ikou", "lat"] == pytest.approx(43.06287841)


def test_offices_per_prefecture_and_service_type_in_jis_order(open_) -> None:
    table = support.offices_per_prefecture(open_("real"))
    assert list(table["prefecture"]) == ["北海道", "東京都", "東京都", "東京都", "東京都"]
    tokyo = _by(table[table["prefecture"] == "東京都"], "service_type")
    assert tokyo["shuro_ikou"]["offices"] == 6 and tokyo["shuro_ikou"]["service_label"] == "就労移行支援"
    assert tokyo["shuro_teichaku"]["offices"] == 1 and tokyo["jiritsu_kunren_seikatsu"]["offices"] == 1


def test_listing_places_are_at_municipality_else_prefecture_centroids(open_) -> None:
    places = support.listing_places(open_("real"))
    by_place = {(row["prefecture"], row["municipality"]): row for row in places.to_dict("records")}
    nakano = by_place[("東京都", "中野区")]
    assert nakano["listings"] == 2 and nakano["placed_by"] == "municipality centroid"  # the closed one is not counted
    assert 35.69 < nakano["lat"] < 35.73
    assert by_place[("東京都", "新宿区")]["placed_by"] == "prefecture centroid"
    assert by_place[("北海道", "札幌市中央区")]["lat"] == pytest.approx(43.06287841)
    osaka = by_place[("大阪府", "大阪市")]  # no office in 大阪府: no centroid to place it at
    assert osaka["placed_by"] == "not placed" and math.isnan(osaka["lat"])
    assert by_place[("unknown", None)]["listings"] == 1
    assert places["listings"].sum() == 12  # each open listing in Japan at its one place; abroad and closed left out


def test_offices_per_100_open_listings_say_where_support_is_thin(open_) -> None:
    table = support.support_per_listings(open_("real"), min_listings=MIN)
    assert list(table["prefecture"]) == ["北海道", "東京都", "大阪府", "福岡県", "unknown", "全国"]
    rows = _by(table)
    reference = (9 + 1) * 100 / (4 + 3)  # the prefectures holding offices with enough listings
    assert rows["東京都"]["open_listings"] == 4 and rows["東京都"]["offices"] == 9
    assert rows["東京都"]["per_listings"] == pytest.approx(225.0) and rows["東京都"]["status"] == support.OK
    assert rows["北海道"]["per_listings"] == pytest.approx(100 / 3) and rows["北海道"]["status"] == support.THIN
    assert rows["北海道"]["reference"] == pytest.approx(reference)
    assert rows["大阪府"]["status"] == support.NO_OFFICES and rows["大阪府"]["per_listings"] == 0
    assert rows["福岡県"]["status"] == support.FEW_LISTINGS and math.isnan(rows["福岡県"]["per_listings"])
    assert rows["unknown"]["status"] == support.FEW_LISTINGS and math.isnan(rows["unknown"]["per_listings"])
    assert rows["全国"]["open_listings"] == 12 and rows["全国"]["offices"] == 10
    assert rows["全国"]["per_listings"] == pytest.approx(1000 / 12) and rows["全国"]["status"] == support.OK


def test_few_listings_get_no_rate_at_the_default_threshold(open_) -> None:
    table = support.support_per_listings(open_("real"))
    assert set(table["status"]) == {support.FEW_LISTINGS} and table["per_listings"].isna().all()


def test_rates_per_service_type_are_compared_with_that_type(open_) -> None:
    table = support.support_per_listings_by_service(open_("real"), min_listings=MIN)
    assert list(dict.fromkeys(table["service_type"])) == ["shuro_ikou", "shuro_keizoku_a", "shuro_teichaku",
                                                          "jiritsu_kunren_seikatsu"]
    ikou = _by(table[table["service_type"] == "shuro_ikou"])
    assert ikou["東京都"]["per_listings"] == pytest.approx(150.0) and ikou["東京都"]["status"] == support.OK
    assert ikou["北海道"]["reference"] == pytest.approx(100.0) and ikou["北海道"]["status"] == support.THIN
    teichaku = _by(table[table["service_type"] == "shuro_teichaku"])
    assert teichaku["北海道"]["status"] == support.NO_OFFICES and teichaku["東京都"]["status"] == support.OK
    assert teichaku["東京都"]["service_label"] == "就労定着支援"


@pytest.mark.parametrize("name", ["empty", "bare"])
def test_without_support_data_every_query_answers_and_says_so(open_, name: str) -> None:
    con = open_(name)
    status = support.support_status(con).iloc[0]
    assert not status["loaded"] and status["note"] == support.NO_SUPPORT_DATA == "no support data loaded"
    assert status["offices"] == 0 and status["area_centroids"] == 0
    assert support.office_points(con).empty and support.offices_per_prefecture(con).empty
    places = support.listing_places(con)
    assert places["listings"].sum() == 12 and set(places["placed_by"]) == {"not placed"}
    table = support.support_per_listings(con, min_listings=MIN)
    assert set(table["status"]) == {support.NO_SUPPORT_DATA} and table["offices"].sum() == 0
    assert _by(table)["東京都"]["open_listings"] == 4
    by_service = support.support_per_listings_by_service(con, min_listings=MIN)
    assert list(dict.fromkeys(by_service["service_type"])) == ["shuro_ikou", "shuro_keizoku_a", "shuro_keizoku_b",
                                                               "shuro_teichaku"]
    assert set(by_service["status"]) == {support.NO_SUPPORT_DATA}


def test_a_snapshot_without_listings_in_japan_still_answers(tmp_path: Path) -> None:
    path = write_support_snapshot([_at("abroad", "CA", "San Francisco", country="US")], tmp_path / "serving")
    with open_snapshot(path) as con:
        assert support.listing_places(con).empty
        table = support.support_per_listings(con)
        assert list(table["prefecture"]) == ["北海道", "東京都", "全国"]
        assert list(table["open_listings"]) == [0, 0, 0] and set(table["status"]) == {support.FEW_LISTINGS}
