"""The shipped municipality -> prefecture table: what prefecture_of reads, and how it is built."""

from __future__ import annotations

import json

from pipeline.employers.records import MUNICIPALITY_TABLE, _municipality_prefectures, prefecture_of
from scripts.build_municipality_table import SOURCE_FILE, municipality_prefectures, read_offices
from tests.conftest import shared_data


def test_the_table_ships_with_the_package_and_names_its_source() -> None:
    document = json.loads(MUNICIPALITY_TABLE.read_text(encoding="utf-8"))
    assert document["source"].startswith("pachikuriii/jp-hello-work")
    assert document["licence"].startswith("MIT. Copyright (c) 2022 Saya Kitano.")
    assert len(document["municipalities"]) > 1500


def test_municipalities_resolve_to_their_prefecture() -> None:
    assert prefecture_of("大府市 共和町") == "愛知県"
    assert prefecture_of("函館市 本町") == "北海道"
    table = _municipality_prefectures()
    assert table["函館市"] == "北海道"
    assert "伊達市" not in table and "府中市" not in table  # in two prefectures each: the name alone is not enough
    assert prefecture_of("伊達市") is None


def test_the_shipped_table_is_what_the_build_derives_from_the_source() -> None:
    offices = read_offices(shared_data(str(SOURCE_FILE)))
    assert municipality_prefectures(offices) == _municipality_prefectures()


def test_a_small_jurisdiction_table_drops_names_of_two_prefectures() -> None:
    offices = {"伊達": {"01233": "伊達市", "01236": "北斗市"}, "福島": {"07213": "伊達市", "07201": "福島市"},
               "x": {"zz": "無効市", "23223": 42}}
    assert municipality_prefectures(offices) == {"北斗市": "北海道", "福島市": "福島県"}
