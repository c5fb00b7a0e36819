"""Three-valued constraints: a listing meets a limit (states it and fits), does not say, or
misses it; unknown never reads as "fits" and ranks below stated-and-met. Hand-built listings
(their text is written for these tests)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks.generated_snapshot import write_snapshot
from ranker.filters import evaluate
from ranker.listing_features import ListingFeatures, build_features
from ranker.profile import ProfileError, parse_profile
from ranker.recommend import RecommendationPage, recommend
from ranker.serving_index import ServingIndex

NOW = datetime(2026, 11, 26)
TOKYO = [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}]


def _row(i: int, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"l{i:03d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": TOKYO, "remote": "onsite", "employment_types": ["PART_TIME"],
        "hours_per_week": {"min": 10.0, "max": 20.0},
        "salary": {"min": 1200.0, "max": None, "currency": "JPY", "unit": "HOUR", "text": None},
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


def _page(rows: list[dict[str, Any]], profile: dict[str, Any], k: int = 10) -> RecommendationPage:
    return recommend(ServingIndex.build("t", rows, None), parse_profile(profile), k=k, now=NOW)


def _result(page: RecommendationPage, listing_id: str) -> Any:
    return next(r for r in page.results if r.listing["id"] == listing_id)


def _reason(result: Any, tag: str) -> dict[str, str]:
    return next(r for r in result.reasons if r.get("tag") == tag)


@pytest.mark.parametrize(
    ("constraints", "unstated", "tag", "text"),
    [
        ({"max_hours_per_week": 20}, {"hours_per_week": None, "employment_types": ["PART_TIME"]}, "hours",
         "勤務時間が書かれていません"),
        ({"employment_types": ["PART_TIME"]}, {"employment_types": []}, "employment_type",
         "雇用形態が書かれていません"),
        ({"locations": [{"country": "JP", "region": "東京都"}]}, {"locations": []}, "location",
         "勤務地が書かれていません"),
        ({"min_salary": {"amount": 1100, "currency": "JPY", "unit": "HOUR"}}, {"salary": None}, "min_salary",
         "給与が書かれていません"),
        ({"min_salary": {"amount": 1100, "currency": "JPY", "unit": "HOUR"}},
         {"salary": {"min": 20.0, "max": None, "currency": "USD", "unit": "HOUR", "text": None}}, "min_salary",
         "給与が米ドルで書かれているため、ご希望の下限とは比べていません"),
        ({"remote": "avoid"}, {"remote": None}, "remote", "在宅勤務か、職場に通うのかが書かれていません"),
    ],
)
def test_unstated_value_is_unknown_says_so_and_ranks_below_stated(
    constraints: dict[str, Any], unstated: dict[str, Any], tag: str, text: str
) -> None:
    # The unstated listing is the closer match to the wanted title; stated-and-met still leads.
    rows = [_row(0, "受付スタッフ 事務"), _row(1, "受付スタッフ", **unstated)]
    page = _page(rows, {"desired_titles": ["受付スタッフ"], "constraints": constraints})
    assert [r.listing["id"] for r in page.results] == ["l000", "l001"]
    assert (page.matching, page.confirmed) == (2, 1)
    unknown = page.results[1]
    assert unknown.misses == []
    assert _reason(unknown, tag) == {"kind": "unknown", "tag": tag, "text": text}
    assert not any(r["kind"] == "constraint" and r.get("tag") == tag for r in unknown.reasons)
    assert _reason(page.results[0], tag)["kind"] == "constraint"
    assert _reason(page.results[0], tag)["text"].startswith("ご希望の条件を満たしています")


def test_every_stated_match_ranks_above_every_unknown_one() -> None:
    # Six close matches that do not state their type, six weaker ones that do.
    rows = [_row(i, "データ入力スタッフ", employment_types=[]) for i in range(6)]
    rows += [_row(10 + i, f"データ入力 事務補助 {i}") for i in range(6)]
    page = _page(rows, {"desired_titles": ["データ入力スタッフ"], "constraints": {"employment_types": ["PART_TIME"]}},
                 k=10)
    unknown = [any(r["kind"] == "unknown" for r in result.reasons) for result in page.results]
    assert unknown == sorted(unknown)  # all stated first
    assert unknown.count(False) == 6 and unknown.count(True) == 4
    stated = [r.score for r in page.results[:6]]
    assert stated == sorted(stated, reverse=True)  # relevance order within the group


def test_hours_assumed_from_full_time_exclude_but_never_vouch() -> None:
    rows = [_row(0, "警備", employment_types=["FULL_TIME"], hours_per_week=None)]
    index = ServingIndex.build("t", rows, None)
    low = evaluate(parse_profile({"desired_titles": ["警備"], "constraints": {"max_hours_per_week": 20}}), index)
    high = evaluate(parse_profile({"desired_titles": ["警備"], "constraints": {"max_hours_per_week": 40}}), index)
    assert low[0].state(0) == "misses"
    assert high[0].state(0) == "unknown"
    page = _page(rows, {"desired_titles": ["警備"], "constraints": {"max_hours_per_week": 40}})
    assert _reason(page.results[0], "hours")["text"] == (
        "勤務時間が書かれていません（フルタイムのため、週35時間ほどとみなしています）")


def test_require_stated_turns_unknown_into_a_miss() -> None:
    rows = [_row(0, "清掃スタッフ", hours_per_week=None, employment_types=["PART_TIME"]), _row(1, "清掃スタッフ 補助")]
    profile = {"desired_titles": ["清掃スタッフ"],
               "constraints": {"max_hours_per_week": 20, "require_stated": ["hours"]}}
    page = _page(rows, profile, k=2)
    assert (page.matching, page.confirmed) == (1, 1)
    assert page.results[0].listing["id"] == "l001"
    nearest = _result(page, "l000")
    assert nearest.misses == ["hours"]
    reason = _reason(nearest, "hours")
    assert reason["kind"] == "misses" and "勤務時間が書かれていません" in reason["text"]
    assert "書かれている求人だけをご希望" in reason["text"]


@pytest.mark.parametrize(
    ("constraints", "message"),
    [
        ({"max_hours_per_week": 20, "require_stated": ["pay"]}, "unknown constraint name"),
        ({"require_stated": ["hours"]}, "require_stated names hours, which this profile does not limit"),
    ],
)
def test_require_stated_is_validated(constraints: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile({"desired_titles": ["事務"], "constraints": constraints})


REMOTE = {"remote": "remote", "locations": [{"country": "US", "region": "CA", "locality": None,
                                             "postal_code": None}]}


@pytest.mark.parametrize(
    ("regions", "state", "text"),
    [
        (["JP"], "meets", "fits your limit: work in 東京都 (remote, open to residents of JP)"),
        (["us", "JP"], "meets", "fits your limit: work in 東京都 (remote, open to residents of US, JP)"),
        (["ANYWHERE"], "meets", "fits your limit: work in 東京都 (remote, open to people anywhere)"),
        (["US", "CA"], "misses", "does not meet: work in 東京都 (remote, open to residents of US, CA)"),
        ([], "unknown", "remote, does not say from where"),
        (None, "unknown", "remote, does not say from where"),
    ],
)
def test_remote_listing_meets_a_location_only_through_its_regions(
    regions: list[str] | None, state: str, text: str
) -> None:
    extra = {**REMOTE} if regions is None else {**REMOTE, "remote_regions": regions}
    rows = [_row(0, "Data entry clerk", language="en", **extra)]
    profile = {"desired_titles": ["Data entry"], "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}}
    index = ServingIndex.build("t", rows, None)
    assert evaluate(parse_profile(profile), index)[0].state(0) == state
    reason = _reason(_page(rows, profile).results[0], "location")
    assert reason["text"] == text


def test_remote_regions_survive_the_feature_cache(tmp_path: Path) -> None:
    rows = [_row(0, "a", **REMOTE, remote_regions=["JP"]), _row(1, "b"), _row(2, "c", **REMOTE,
                                                                             remote_regions=["ANYWHERE", "DE"])]
    built = build_features(rows)
    built.save(tmp_path / "features.npz")
    loaded = ListingFeatures.load(tmp_path / "features.npz")
    assert loaded.remote_regions == built.remote_regions == ["", "JP", "ANYWHERE", "DE"]
    assert np.array_equal(loaded.rr_owner, [0, 2, 2]) and np.array_equal(loaded.rr_stated, [True, False, True])


def test_a_snapshot_without_remote_regions_reads_them_as_unstated(tmp_path: Path) -> None:
    rows = [_row(0, "Data entry clerk", language="en", **REMOTE)]
    path = write_snapshot(rows, None, tmp_path / "serving", version="20261126T000000Z")
    index = ServingIndex.from_snapshot(path, cache_root=tmp_path / "cache")
    assert not index.features.rr_stated.any()
    profile = parse_profile({"desired_titles": ["Data entry"], "constraints": {"locations": [{"country": "JP"}]}})
    assert evaluate(profile, index)[0].state(0) == "unknown"


def _location_states(rows: list[dict[str, Any]], wanted: list[dict[str, str]]) -> dict[str, str]:
    index = ServingIndex.build("t", rows, None)
    profile = parse_profile({"desired_titles": ["QA Engineer"], "constraints": {"locations": wanted}})
    result = next(r for r in evaluate(profile, index)
                  if r.name == "location")
    return {row["id"]: ("meets" if result.meets[i] else "unknown" if result.unknown[i] else "misses")
            for i, row in enumerate(rows)}


def _place(country: str | None = None, region: str | None = None, locality: str | None = None) -> dict[str, Any]:
    return {"country": country, "region": region, "locality": locality, "postal_code": None}


def test_a_place_without_its_country_never_meets_a_wish_for_that_country() -> None:
    rows = [
        # remote, open to US residents only, its place only says "Remote": misses a wish for GB
        _row(0, "QA Engineer", remote="remote", locations=[_place(locality="Remote")], remote_regions=["US"]),
        # on site in a city named without its country: nothing rules GB in or out
        _row(1, "QA Engineer", locations=[_place(locality="San Francisco")]),
        _row(2, "QA Engineer", locations=[_place("GB", locality="London")]),
        _row(3, "QA Engineer", locations=[_place("US", locality="Boston")]),
    ]
    assert _location_states(rows, [{"country": "GB"}]) == {
        "l000": "misses", "l001": "unknown", "l002": "meets", "l003": "misses"}


def test_a_region_named_without_the_country_still_meets_that_region() -> None:
    rows = [_row(0, "事務", locations=[_place(region="東京都", locality="新宿区")]),
            _row(1, "事務", locations=[_place(region="大阪府")])]
    assert _location_states(rows, [{"country": "JP", "region": "東京都"}]) == {"l000": "meets", "l001": "unknown"}


def test_a_full_page_of_listings_that_do_not_say_carries_an_unconfirmed_notice() -> None:
    profile = {"language": "ja", "desired_titles": ["清掃スタッフ"], "constraints": {"max_hours_per_week": 20}}
    silent = [_row(i, "清掃スタッフ", hours_per_week=None) for i in range(3)]
    page = _page(silent, profile, k=3)
    assert len(page.results) == 3 and page.confirmed == 0
    assert page.notice is not None and page.notice.kind == "unconfirmed" and page.notice.widen == "hours"
    assert "勤務時間が書かれていません" in page.notice.message
    # one listing that states its hours within the limit: the page is not unconfirmed any more
    stated = _page([*silent[:2], _row(2, "清掃スタッフ")], profile, k=3)
    assert stated.notice is None and stated.results[0].listing["id"] == "l002"
