"""Support beside the recommendations and the commute constraint, on a snapshot of listings
with the real offices of tests/ranker/support/fixture.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ranker.filters import evaluate
from ranker.present import page_to_dict, page_to_text
from ranker.profile import ProfileError, parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.api.served import listing_row
from tests.ranker.support.fixture import write_support_snapshot

NOW = datetime(2026, 11, 26)
REGISTRY = {"tag": "cert_disability_award", "evidence": "障害者雇用優良事業所の大臣表彰", "source": "registry"}


def _at(region: str, locality: str) -> list[dict[str, Any]]:
    return [{"country": "JP", "region": region, "locality": locality, "postal_code": None}]


ROWS = [
    listing_row("nakano", "データ入力スタッフ", locations=_at("東京都", "中野区"),
                employer={"name": "中野社", "normalized_name": "中野社", "registry_tags": [REGISTRY]}),
    listing_row("sapporo", "データ入力 事務", locations=_at("北海道", "札幌市中央区")),
    listing_row("tokyo", "データ入力 補助", locations=_at("東京都", "")),
    listing_row("remote", "データ入力 在宅", remote="remote", locations=[]),
    listing_row("chiyoda", "データ入力 受付", locations=_at("東京都", "千代田区")),
]
BASE = {"language": "ja", "desired_titles": ["データ入力"], "needs": ["career_gap_ok"]}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ServingIndex:
    return ServingIndex.from_snapshot(write_support_snapshot(ROWS, tmp_path_factory.mktemp("beside") / "serving"))


def _page(index: ServingIndex, **profile: Any) -> dict[str, Any]:
    return page_to_dict(recommend(index, parse_profile({**BASE, **profile}), k=5, now=NOW))


def _by_id(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["id"]: result for result in page["results"]}


def test_commute_is_three_valued(index: ServingIndex) -> None:
    profile = parse_profile({**BASE, "home": {"postal_code": "164-0014"}, "constraints": {"max_commute_km": 8}})
    commute = next(c for c in evaluate(profile, index) if c.name == "commute")
    states = {listing_id: commute.state(i) for i, listing_id in enumerate(index.ids)}
    # 千代田区 lies ~9 km from 中野区 (centroid to centroid), 札幌 ~830 km; 東京都 alone names no municipality.
    assert states == {"nakano": "meets", "remote": "meets", "tokyo": "unknown", "chiyoda": "misses",
                      "sapporo": "misses"}
    page = _by_id(_page(index, home={"postal_code": "164-0014"}, constraints={"max_commute_km": 8}))
    unknown = [r for r in page["tokyo"]["reasons"] if r.get("tag") == "commute"]
    assert unknown == [{"kind": "unknown", "tag": "commute",
                        "text": "勤務地の市区町村が書かれていないため、自宅からの距離がわかりません"}]
    assert page["sapporo"]["misses"] == ["commute"]


def test_english_commute_reasons(index: ServingIndex) -> None:
    page = _by_id(_page(index, language="en", home={"postal_code": "164-0014"}, constraints={"max_commute_km": 8}))
    texts = {r["text"] for r in page["nakano"]["reasons"] if r.get("tag") == "commute"}
    assert texts == {"fits your limit: a workplace within 8 km of home (straight line)"}


def test_each_result_carries_support_nearby_and_the_commute(index: ServingIndex) -> None:
    page = _page(index, home={"postal_code": "164-0014"})
    assert page["support"]["hellowork_offices"] == ["新宿"]
    assert page["support"]["service_types"] == ["shuro_ikou", "jiritsu_kunren_seikatsu", "jiritsu_kunren_kinou"]
    assert page["support"]["home"]["approximate"] is True
    results = _by_id(page)
    nakano = results["nakano"]
    assert nakano["commute_km"] == 0.0
    assert 1 <= len(nakano["support_nearby"]) <= 3
    assert {o["service_type"] for o in nakano["support_nearby"]} <= {"shuro_ikou", "jiritsu_kunren_seikatsu"}
    assert all(o["distance_km"] < 3 for o in nakano["support_nearby"])
    assert results["tokyo"]["commute_km"] is None  # no municipality: nearest home instead of on the way
    assert results["tokyo"]["support_nearby"] == results["remote"]["support_nearby"]
    # Employer certifications stay with their evidence.
    assert REGISTRY in nakano["signals"]


def test_offices_on_the_way_to_work_are_preferred(index: ServingIndex) -> None:
    results = _by_id(_page(index, home={"postal_code": "164-0014"}))
    on_the_way = results["chiyoda"]["support_nearby"]
    near_home = results["tokyo"]["support_nearby"]
    detour = [o["distance_km"] + o["from_work_km"] for o in on_the_way]
    assert detour == sorted(detour)
    assert on_the_way[0]["office_id"] != near_home[0]["office_id"]
    assert any(o["address"].startswith("東京都千代田区") for o in on_the_way)


def test_no_support_block_without_a_home_in_japan(index: ServingIndex) -> None:
    for profile in ({}, {"home": {"lat": 40.71, "lon": -74.0}}):
        page = _page(index, **profile)
        assert page["support"] is None
        assert all(r["support_nearby"] is None and r["commute_km"] is None for r in page["results"])


def test_max_commute_needs_a_home_in_japan() -> None:
    with pytest.raises(ProfileError, match="max_commute_km"):
        parse_profile({**BASE, "constraints": {"max_commute_km": 5}})
    with pytest.raises(ProfileError, match="max_commute_km"):
        parse_profile({**BASE, "home": {"lat": 51.5, "lon": -0.12}, "constraints": {"max_commute_km": 5}})


def test_empty_support_tables_say_no_data_loaded(tmp_path: Path) -> None:
    index = ServingIndex.from_snapshot(write_support_snapshot(ROWS, tmp_path / "serving", offices=[], hellowork=[]))
    page = recommend(index, parse_profile({**BASE, "home": {"postal_code": "164-0014"}}), k=3, now=NOW)
    out = page_to_dict(page)
    assert out["support"]["offices_loaded"] is False and out["support"]["hellowork_loaded"] is False
    assert all(r["support_nearby"] is None for r in out["results"])
    assert "支援事業所のデータがまだ公開データに入っていない" in page_to_text(page)


def test_the_text_page_shows_support_and_commute(index: ServingIndex) -> None:
    text = page_to_text(recommend(index, parse_profile({**BASE, "home": {"postal_code": "164-0014"}}), k=5, now=NOW))
    assert "担当のハローワーク：新宿" in text
    assert "自宅から約0.0キロ" in text
    assert "就労移行支援：ディーキャリアＩＴエキスパート　中野オフィス" in text
