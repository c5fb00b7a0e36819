"""The experience penalty: a role's level or stated years above the person's lowers its score,
with a reason when the gap is large; nothing happens when the profile or the listing is silent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from pipeline.warehouse.serving_columns import with_serving_fields
from ranker.experience import experience_penalty
from ranker.listing_features import ListingFeatures, build_features
from ranker.profile import ProfileError, parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex

NOW = datetime(2026, 11, 26)


def _row(i: int, seniority: str | None = None, years: float | None = None) -> dict[str, Any]:
    row = {
        "id": f"l{i:03d}", "title": "一般事務スタッフ", "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None, "salary": None,
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": "一般事務スタッフ データ入力",
        "seniority": seniority, "experience_years_min": years,
    }
    return with_serving_fields([row])[0]


def _page(rows: list[dict[str, Any]], experience: dict[str, Any] | None) -> Any:
    data: dict[str, Any] = {"desired_titles": ["一般事務"]}
    if experience is not None:
        data["experience"] = experience
    return recommend(ServingIndex.build("t", rows, None), parse_profile(data), k=len(rows), now=NOW)


def _by_id(page: Any) -> dict[str, Any]:
    return {r.listing["id"]: r for r in page.results}


def test_entry_person_sees_senior_below_and_lead_further_below() -> None:
    # Listed first, the higher levels would win every tie of relevance without the penalty.
    rows = [_row(0, "lead"), _row(1, "senior"), _row(2, "mid"), _row(3, "entry")]
    page = _page(rows, {"level": "entry"})
    assert [r.listing["id"] for r in page.results] == ["l003", "l002", "l001", "l000"]
    found = _by_id(page)
    gaps = [found[f"l00{i}"].parts["experience_gap"] for i in (3, 2, 1, 0)]
    assert gaps[0] == 0.0 < gaps[1] < gaps[2] < gaps[3]
    assert found["l001"].score < found["l003"].score - 0.15
    senior = [r for r in found["l001"].reasons if r.get("tag") == "experience"]
    assert senior == [{"kind": "lacks", "tag": "experience",
                       "text": "経験豊富な人向けの求人です。ご自身のレベルを「初心者」とされています"}]
    assert any("リーダーや管理職向け" in r["text"] for r in found["l000"].reasons if r.get("tag") == "experience")
    assert not [r for r in found["l002"].reasons if r.get("tag") == "experience"]  # a small gap: no reason


def test_years_above_the_persons_cost_more_the_larger_the_gap() -> None:
    rows = [_row(0, years=10), _row(1, years=5), _row(2, years=2), _row(3, years=0)]
    page = _page(rows, {"years": 1})
    assert [r.listing["id"] for r in page.results] == ["l003", "l002", "l001", "l000"]
    found = _by_id(page)
    assert found["l003"].parts["experience_gap"] == 0.0
    assert found["l002"].parts["experience_gap"] == pytest.approx(0.05)
    assert found["l001"].parts["experience_gap"] == pytest.approx(0.2)
    assert found["l000"].parts["experience_gap"] == pytest.approx(0.3)  # capped
    texts = [r["text"] for r in found["l001"].reasons if r.get("tag") == "experience"]
    assert texts == ["経験5年以上が求められています（あなたの経験は1年です）"]


def test_level_none_counts_as_no_years() -> None:
    found = _by_id(_page([_row(0, years=3), _row(1)], {"level": "none"}))
    assert found["l000"].parts["experience_gap"] == pytest.approx(0.15)
    assert [r["text"] for r in found["l000"].reasons if r.get("tag") == "experience"] == [
        "経験3年以上が求められています（あなたはこれから経験を積むところです）"]


def test_the_larger_gap_counts_not_both() -> None:
    found = _by_id(_page([_row(0, "senior", 5)], {"years": 0, "level": "entry"}))
    assert found["l000"].parts["experience_gap"] == pytest.approx(0.25)
    assert len([r for r in found["l000"].reasons if r.get("tag") == "experience"]) == 2


def test_a_senior_person_is_not_penalised_for_senior_or_junior_roles() -> None:
    found = _by_id(_page([_row(0, "senior", 5), _row(1, "entry", 0), _row(2, "lead", 8)],
                         {"years": 12, "level": "senior"}))
    assert found["l000"].parts["experience_gap"] == found["l001"].parts["experience_gap"] == 0.0
    assert found["l002"].parts["experience_gap"] == pytest.approx(0.05)


def test_unknown_listing_level_and_years_cost_nothing() -> None:
    found = _by_id(_page([_row(0), _row(1, "entry", 0)], {"years": 0, "level": "none"}))
    assert found["l000"].parts["experience_gap"] == found["l001"].parts["experience_gap"] == 0.0


def test_a_profile_silent_on_experience_gets_no_penalty() -> None:
    rows = [_row(0, "lead", 10), _row(1, "entry", 0)]
    page = _page(rows, None)
    assert [r.listing["id"] for r in page.results] == ["l000", "l001"]  # relevance order, untouched
    for result in page.results:
        assert "experience_gap" not in result.parts
        assert not [r for r in result.reasons if r.get("tag") == "experience"]
    assert experience_penalty(np.array([3], dtype=np.int8), np.array([10.0], dtype=np.float32),
                              parse_profile({"desired_titles": ["一般事務"]})) is None


def test_features_carry_seniority_and_years_through_the_cache(tmp_path: Any) -> None:
    features = build_features([_row(0, "senior", 3.5), _row(1), _row(2, "entry", 0)])
    assert features.seniority.tolist() == [2, -1, 0]
    assert features.experience_years_min[0] == 3.5 and np.isnan(features.experience_years_min[1])
    features.save(tmp_path / "f.npz")
    loaded = ListingFeatures.load(tmp_path / "f.npz")
    assert loaded.seniority.tolist() == [2, -1, 0]
    assert loaded.experience_years_min[2] == 0.0


@pytest.mark.parametrize(
    ("experience", "message"),
    [
        ({}, "experience: give years (0-60), level"),
        ({"years": -1}, "experience.years: Input should be greater than or equal to 0"),
        ({"years": 61}, "experience.years: Input should be less than or equal to 60"),
        ({"level": "expert"}, "experience.level: Input should be 'none', 'entry', 'mid', 'senior' or 'lead'"),
        ({"years": 2, "months": 3}, "experience.months: Extra inputs are not permitted"),
    ],
)
def test_bad_experience_is_refused_with_the_field_named(experience: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_profile({"desired_titles": ["一般事務"], "experience": experience})


@pytest.mark.parametrize(
    ("profile", "text"),
    [
        ({"desired_titles": ["一般事務"], "needs": ["no_experience_ok"]},
         "経験豊富な人向けの求人です。未経験でも応募できる仕事をご希望です"),
        ({"desired_titles": ["Junior Office Administrator", "一般事務"]},
         "a senior role; you asked for Junior Office Administrator"),
    ],
)
def test_a_need_for_beginner_work_or_a_junior_title_states_entry_level(profile: dict[str, Any], text: str) -> None:
    rows = [_row(0, "lead", None), _row(1, "senior", None), _row(2, "entry", None)]
    page = recommend(ServingIndex.build("t", rows, None), parse_profile(profile), k=3, now=NOW)
    found = _by_id(page)
    assert [r.listing["id"] for r in page.results][-1] == "l000"  # the lead role sinks below the others
    assert found["l000"].parts["experience_gap"] == pytest.approx(0.3)
    assert found["l001"].parts["experience_gap"] == pytest.approx(0.2)
    assert found["l002"].parts["experience_gap"] == 0.0
    assert {"kind": "lacks", "tag": "experience", "text": text} in found["l001"].reasons
    # no years are assumed from such a statement: a stated minimum alone costs nothing
    assert experience_penalty(np.array([-1], dtype=np.int8), np.array([5.0], dtype=np.float32),
                              parse_profile(profile)).tolist() == [0.0]
