"""Nearest support offices, the Hello Work office in charge and places, on a snapshot holding a
few real WAM NET offices (tests/ranker/support/fixture.py)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from ranker.profile import Home
from ranker.support.answer import support_near
from ranker.support.hellowork import offices_in_charge
from ranker.support.needs import NEED_SERVICE_TYPES, service_types_for
from ranker.support.places import PlaceCodeError, home_from_text, resolve_home
from ranker.support.tables import SERVICE_TYPES, SupportTables, read_support_tables
from tests.api.served import listing_row
from tests.conftest import shared_data
from tests.ranker.support.fixture import OFFICES, VERSION, write_support_snapshot

# 中野駅 (JR Chuo line), as coordinates: the distances below are measured from here.
NAKANO_STATION = (35.70567, 139.66571)


def _hand_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine by hand, on a sphere of 6371.0088 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> SupportTables:
    path = write_support_snapshot([listing_row("a1", "データ入力")], tmp_path_factory.mktemp("support") / "serving")
    return read_support_tables(path, VERSION)


def _near(tables: SupportTables, **options: object) -> dict:
    return support_near(tables, Home(lat=NAKANO_STATION[0], lon=NAKANO_STATION[1]), **options)  # type: ignore[arg-type]


def test_offices_come_nearest_first_at_their_hand_computed_distances(tables: SupportTables) -> None:
    answer = _near(tables, types=["shuro_ikou"], radius_km=5, limit=10)
    nakano = [o for o in OFFICES if o["service_type"] == "shuro_ikou" and o["municipality_code"] == "13114"]
    expected = sorted(nakano, key=lambda o: _hand_km(*NAKANO_STATION, o["lat"], o["lng"]))
    assert [o["office_id"] for o in answer["offices"]] == [o["office_id"] for o in expected]
    for shown, office in zip(answer["offices"], expected, strict=True):
        assert shown["distance_km"] == round(_hand_km(*NAKANO_STATION, office["lat"], office["lng"]), 1)
    assert answer["status"] == "found" and answer["place"]["approximate"] is False
    first = answer["offices"][0]
    assert first["name"] == "ディーキャリアＩＴエキスパート　中野オフィス" and first["phone"] == "03-6454-0427"
    assert first["hours"]["weekday"] == "10:00-16:00" and first["address"].startswith("東京都中野区中野")


def test_the_radius_keeps_only_offices_within_it(tables: SupportTables) -> None:
    within = _near(tables, types=["shuro_ikou"], radius_km=1.0)["offices"]
    # 0.5 km; the others lie farther than 1 km
    assert [o["name"] for o in within] == ["ディーキャリアＩＴエキスパート　中野オフィス"]
    wide = _near(tables, types=["shuro_ikou"], radius_km=12)["offices"]
    assert {o["address"][:7] for o in wide} >= {"東京都千代田区"}
    assert all(o["distance_km"] <= 12 for o in wide)
    assert _near(tables, types=["shuro_ikou"], radius_km=12, limit=2)["offices"] == wide[:2]


def test_types_filter_the_offices(tables: SupportTables) -> None:
    answer = _near(tables, types=["shuro_teichaku", "shuro_keizoku_a"], radius_km=5)
    assert [o["name"] for o in answer["offices"]] == ["就労支援センター　ステッツ中野", "コロニー中野"]
    assert {o["service_type"] for o in _near(tables, radius_km=5)["offices"]} == {
        "shuro_ikou", "shuro_teichaku", "shuro_keizoku_a", "jiritsu_kunren_seikatsu"}


def test_an_office_without_coordinates_is_found_at_its_municipality_centroid_marked_approximate(
        tables: SupportTables) -> None:
    akihabara = (35.69837, 139.77615)
    answer = support_near(tables, Home(lat=akihabara[0], lon=akihabara[1]), ["shuro_ikou"], 3.0, 10)
    litalico = next(o for o in answer["offices"] if o["name"] == "LITALICOワークス秋葉原")
    chiyoda = [o for o in OFFICES if o["municipality_code"] == "13101" and o["lat"] is not None]
    centre = (sum(o["lat"] for o in chiyoda) / 2, sum(o["lng"] for o in chiyoda) / 2)
    assert litalico["approximate"] is True and litalico["lat"] is None
    assert litalico["distance_km"] == round(_hand_km(*akihabara, *centre), 1)
    assert all(o["approximate"] is False for o in answer["offices"] if o is not litalico)


def test_a_postcode_is_placed_at_its_municipality_centroid_approximately(tables: SupportTables) -> None:
    place = resolve_home(home_from_text("164-0014"), tables)
    assert place.located_by == "municipality" and place.approximate and place.municipality is not None
    assert place.municipality.code == "13114"
    nakano = [o for o in OFFICES if o["municipality_code"] == "13114"]
    assert place.lat == pytest.approx(sum(o["lat"] for o in nakano) / len(nakano))
    # A municipality without offices of its own: its prefecture's centroid.
    suginami = resolve_home(home_from_text("13115"), tables)
    assert suginami.located_by == "prefecture" and suginami.approximate


def test_hello_work_in_charge_postcode_exception_then_municipality_then_city(tables: SupportTables) -> None:
    def office(near: str) -> list[str]:
        return offices_in_charge(tables, resolve_home(home_from_text(near), tables))

    assert office("049-4431") == ["函館 八雲出張所"]  # せたな町, a postcode split off to 八雲
    assert office("01371") == ["函館"]  # the rest of せたな町
    assert office("164-0014") == ["新宿"]
    assert office("01102") == ["札幌北"]  # a ward listed itself
    assert office("01103") == ["札幌"]  # 札幌市東区, not listed: its city's office
    assert office("35.70567,139.66571") == []  # coordinates alone name no municipality


def test_an_unknown_postcode_or_code_is_refused_naming_that_value() -> None:
    with pytest.raises(PlaceCodeError, match="999-9999"):
        home_from_text("999-9999")
    with pytest.raises(PlaceCodeError, match="99999"):
        home_from_text("99999")
    with pytest.raises(PlaceCodeError, match="not a postcode") as refused:
        home_from_text("my home near the hospital")
    assert "hospital" not in str(refused.value)


def test_empty_support_tables_say_not_loaded_not_none_nearby(tmp_path: Path) -> None:
    path = write_support_snapshot([listing_row("a1", "データ入力")], tmp_path / "serving", offices=[], hellowork=[])
    answer = support_near(read_support_tables(path, VERSION), home_from_text("35.70567,139.66571"))
    assert answer["status"] == "not_loaded" and answer["offices"] == [] and answer["offices_loaded"] is False
    placed_by_code = support_near(read_support_tables(path, VERSION), home_from_text("164-0014"))
    assert placed_by_code["status"] == "not_loaded" and placed_by_code["place"]["lat"] is None


def test_nothing_within_the_radius_is_said_as_such(tables: SupportTables) -> None:
    # せたな町 has no offices here: placed at 北海道's centroid, said to be approximate.
    setana = support_near(tables, home_from_text("01371"), ["shuro_ikou"], 5.0, 10)["place"]
    assert setana["located_by"] == "prefecture" and setana["approximate"] is True
    far = support_near(tables, Home(lat=43.0, lon=144.0), ["shuro_ikou"], 5.0, 10)  # 釧路 area
    assert far["status"] == "none_within_radius"
    abroad = support_near(tables, Home(lat=40.71, lon=-74.0), None, 5.0, 10)
    assert abroad["status"] == "outside_japan" and abroad["hellowork_offices"] == []


def test_needs_map_to_service_types() -> None:
    assert service_types_for(["on_the_job_support"]) == ["shuro_teichaku", "shuro_ikou"]
    assert service_types_for(["career_gap_ok", "disability_employment"]) == [
        "shuro_ikou", "jiritsu_kunren_seikatsu", "jiritsu_kunren_kinou", "shuro_keizoku_a"]
    assert service_types_for(["short_hours", "remote_ok"]) == []
    assert {t for types in NEED_SERVICE_TYPES.values() for t in types} <= set(SERVICE_TYPES)


def test_fixture_offices_are_the_real_wam_rows() -> None:
    folder = shared_data("wam_shuro_jigyosho")
    found = {}
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                found[(row["事業所番号"].zfill(10), row["事業所の名称"], row["サービス種別"])] = row
    for office in OFFICES:
        row = found[(office["office_number"], office["name"], office["service_label"])]
        assert row["事業所電話番号"] == office["phone"]
        assert (float(row["事業所緯度"]) if row["事業所緯度"] else None) == office["lat"]
        assert office["address"].startswith(row["事業所住所（市区町村）"])


def test_an_approximate_office_at_the_same_centroid_does_not_come_before_offices_known_to_be_close(
        tables: SupportTables) -> None:
    # LITALICOワークス秋葉原 has no coordinates: it sits at 千代田区's centroid. A home placed at that
    # same centroid is 0.0 km from it on paper, but the office is somewhere in the ward.
    chiyoda = [o for o in OFFICES if o["municipality_code"] == "13101" and o["lat"] is not None]
    centre = (sum(o["lat"] for o in chiyoda) / len(chiyoda), sum(o["lng"] for o in chiyoda) / len(chiyoda))
    answer = support_near(tables, Home(lat=centre[0], lon=centre[1]), ["shuro_ikou"], 10.0, 10)
    names = [o["name"] for o in answer["offices"]]
    litalico = names.index("LITALICOワークス秋葉原")
    assert answer["offices"][litalico]["distance_km"] == 0.0 and answer["offices"][litalico]["approximate"]
    before = answer["offices"][:litalico]
    assert before and all(not o["approximate"] and o["distance_km"] < 2.0 for o in before)
