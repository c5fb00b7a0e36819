"""Locations from real JSON-LD jobLocation values, ATS location objects and free strings."""

from __future__ import annotations

import csv
import json

import pytest

from pipeline.fields.location import normalize_locations, prefecture_iso_code, resolve_country, resolve_prefecture
from tests.conftest import ROOT, SHARED_DATA

DATA = SHARED_DATA


def loc(country: str | None, region: str | None = None, locality: str | None = None, postal: str | None = None):
    return {"country": country, "region": region, "locality": locality, "postal_code": postal}


# jobLocation values exactly as published by the real pages (tests/fixtures/SOURCES.md).
PAPERCUT = {
    "@type": "Place",
    "address": {
        "@type": "PostalAddress",
        "addressCountry": "AU",
        "addressLocality": "Camberwell",
        "addressRegion": "VIC",
        "postalCode": "3124",
    },
}
CME = {
    "@type": "place",
    "address": {
        "@type": "PostalAddress",
        "addressLocality": "大田区",
        "addressRegion": "東京都",
        "addressCountry": "JP",
    },
}
KIRARA = {
    "@type": "Place",
    "address": {
        "@type": "PostalAddress",
        "addressRegion": "東京都",
        "addressLocality": "新宿区",
        "streetAddress": "西新宿5丁目-1-1",
        "postalCode": "160-0023",
        "addressCountry": "JP",
    },
}


@pytest.mark.parametrize(
    ("job_location", "expected"),
    [
        (PAPERCUT, [loc("AU", "VIC", "Camberwell", "3124")]),
        (CME, [loc("JP", "東京都", "大田区")]),
        (KIRARA, [loc("JP", "東京都", "新宿区", "160-0023")]),
        ([CME, CME, PAPERCUT], [loc("JP", "東京都", "大田区"), loc("AU", "VIC", "Camberwell", "3124")]),
        (
            {"address": {"addressCountry": {"@type": "Country", "name": "JP"}, "addressRegion": "Tokyo"}},
            [loc("JP", "東京都")],
        ),
        (
            {"address": {"addressCountry": "Japan", "addressRegion": "JP-27", "addressLocality": "大阪市北区"}},
            [loc("JP", "大阪府", "大阪市北区")],
        ),
        (
            {"address": {"addressCountry": "JP", "addressLocality": "愛知県名古屋市昭和区"}},
            [loc("JP", "愛知県", "名古屋市昭和区")],
        ),
        ({"address": "東京都新宿区西新宿5丁目-1-1"}, [loc("JP", "東京都", "新宿区")]),
        (
            {
                "address": {
                    "addressRegion": "California",
                    "addressCountry": "United States",
                    "addressLocality": "San Francisco",
                }
            },
            [loc("US", "CA", "San Francisco")],
        ),  # Ashby postalAddress
        (
            {
                "location": "Miami",
                "address": {
                    "postalAddress": {
                        "addressRegion": "Florida",
                        "addressCountry": "United States",
                        "addressLocality": "Miami",
                    }
                },
            },
            [loc("US", "FL", "Miami")],
        ),  # Ashby secondaryLocations item
        (
            {
                "city": "Hamburg",
                "region": "HH",
                "country": "de",
                "remote": False,
                "hybrid": True,
                "fullLocation": "Hamburg, HH, Germany",
            },
            [loc("DE", "HH", "Hamburg")],
        ),  # SmartRecruiters
        (
            {
                "LocationName": "Fort Meade, Maryland",
                "CountryCode": "United States",
                "CountrySubDivisionCode": "Maryland",
                "CityName": "Fort Meade, Maryland",
                "Longitude": -76.7419,
                "Latitude": 39.1014,
            },
            [loc("US", "MD", "Fort Meade")],
        ),  # USAJOBS PositionLocation
        ({"name": "Remote (United States)"}, [loc("US")]),  # Greenhouse location
    ],
)
def test_structured(job_location: object, expected: list) -> None:
    assert normalize_locations(job_location) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tokyo, Japan", [loc("JP", "東京都")]),
        ("東京都新宿区", [loc("JP", "東京都", "新宿区")]),
        ("名古屋市 栄駅", [loc("JP", "愛知県", "名古屋市")]),
        ("Remote - US", [loc("US")]),
        ("San Francisco, CA", [loc("US", "CA", "San Francisco")]),
        ("London, UK", [loc("GB", None, "London")]),
        ("Remote", []),
        ("Tokyo", [loc("JP", "東京都")]),
        ("東京都, Japan", [loc("JP", "東京都")]),
        ("Tokyo Prefecture, Japan", [loc("JP", "東京都")]),
        ("Tokyo, Chiyoda, Japan", [loc("JP", "東京都", "Chiyoda")]),
        ("Japan - Tokyo", [loc("JP", "東京都")]),
        ("Tokyo / Osaka", [loc("JP", "東京都"), loc("JP", "大阪府")]),
        ("Taipei, Taiwan; Tokyo, Japan", [loc("TW", None, "Taipei"), loc("JP", "東京都")]),
        ("Yokohama", [loc("JP", "神奈川県", "Yokohama")]),
        ("New York, New York, United States", [loc("US", "NY", "New York")]),
        ("Boston, MA, USA", [loc("US", "MA", "Boston")]),
        ("Atlanta, GA", [loc("US", "GA", "Atlanta")]),
        ("Washington, DC", [loc("US", "DC", "Washington")]),
        ("Tbilisi, Georgia", [loc("GE", None, "Tbilisi")]),
        ("Vancouver, British Columbia, Canada", [loc("CA", "British Columbia", "Vancouver")]),
        ("Canada - Remote (ON, AB, BC, or NS Only)", [loc("CA")]),
        ("Brazil - Rio de Janeiro", [loc("BR", None, "Rio de Janeiro")]),
        ("San Francisco, CA, US; Remote, US", [loc("US", "CA", "San Francisco"), loc("US")]),
        ("Singapore (Hybrid)", [loc("SG")]),
        ("Home based - Worldwide", []),
        ("愛知県 名古屋市昭和区鶴舞2丁目12番地24", [loc("JP", "愛知県", "名古屋市昭和区")]),  # mc-nurse 勤務地
        ("三重県度会郡南伊勢町", [loc("JP", "三重県", "度会郡南伊勢町")]),  # Hello Work 就業場所
        ("三重県四日市市", [loc("JP", "三重県", "四日市市")]),
        ("岐阜市 西岐阜駅 徒歩8分", [loc("JP", "岐阜県", "岐阜市")]),  # 求人ボックス
        ("京都市 中京区", [loc("JP", "京都府", "京都市中京区")]),
        ("大阪府 堺市", [loc("JP", "大阪府", "堺市")]),
        ("市川市", [loc("JP", "千葉県", "市川市")]),
        ("大阪府大阪市中央区 | 大阪府大阪市中央区", [loc("JP", "大阪府", "大阪市中央区")]),
        ("〒160-0023 東京都新宿区西新宿", [loc("JP", "東京都", "新宿区", "160-0023")]),
    ],
)
def test_free_text(text: str, expected: list) -> None:
    assert normalize_locations(text) == expected


def test_address_text_used_when_structure_gives_nothing() -> None:
    assert normalize_locations(None, "東京都大田区") == [loc("JP", "東京都", "大田区")]
    assert normalize_locations(CME, "Osaka") == [loc("JP", "東京都", "大田区")]


@pytest.mark.parametrize(
    "bad",
    [
        None,
        5,
        True,
        "",
        "   ",
        {},
        [],
        [None],
        {"address": 7},
        {"address": {"addressCountry": 12}},
        [[[[[[[["Tokyo"]]]]]]]],
        b"Tokyo",
        object(),
        {"name": {"name": {"name": None}}},
    ],
)
def test_bad_input_never_raises(bad: object) -> None:
    assert isinstance(normalize_locations(bad), list)


def test_lookup_helpers() -> None:
    assert resolve_prefecture("Tokyo-to") == "東京都"
    assert resolve_prefecture("hokkaido") == "北海道"
    assert resolve_prefecture("JP-47") == "沖縄県"
    assert resolve_prefecture("大阪") == "大阪府"
    assert prefecture_iso_code("東京都") == "JP-13"
    assert resolve_country("United Kingdom") == "GB"
    assert resolve_country("日本") == "JP"
    assert resolve_country({"@type": "Country", "name": "US"}) == "US"
    assert resolve_country("Atlantis") is None


def test_vocab_has_all_prefectures() -> None:
    data = json.loads((ROOT / "pipeline" / "vocab" / "places.json").read_text("utf-8"))
    assert len(data["prefectures"]) == 47
    assert [p["iso"] for p in data["prefectures"]] == [f"JP-{n:02d}" for n in range(1, 48)]
    assert len(data["us_states"]) >= 51


def test_real_hellowork_workplaces_all_resolve() -> None:
    path = DATA / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as handle:
        places = [row["work_location"] for row in csv.DictReader(handle)]
    parsed = [normalize_locations(place) for place in places]
    assert all(len(p) == 1 and p[0]["region"] == "三重県" and p[0]["locality"] for p in parsed)


def test_real_kyujinbox_locations_resolve_to_a_prefecture() -> None:
    folder = DATA / "ja_jobs_kyujinbox_2020"
    if not folder.exists():
        pytest.skip(f"{folder} not found")
    places = set()
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            places.update(row[2] for row in csv.reader(handle))
    resolved = [p for p in places if normalize_locations(p) and normalize_locations(p)[0]["region"]]
    assert len(resolved) / len(places) >= 0.95


def test_real_greenhouse_japan_locations() -> None:
    path = DATA / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as handle:
        names = {row["location_name"] for row in csv.DictReader(handle) if "Tokyo" in row["location_name"]}
    tokyo = [n for n in names if any(p["region"] == "東京都" for p in normalize_locations(n))]
    assert len(tokyo) / len(names) >= 0.9
