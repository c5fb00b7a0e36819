"""Ranking behaviour on small hand-built listings (their text is written for these tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex


def _row(i: int, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"l{i}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": None, "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None, "salary": None,
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


def _index(rows: list[dict[str, Any]]) -> ServingIndex:
    return ServingIndex.build("test", rows, vectors=None)


NOW = datetime(2026, 11, 26)


def test_closed_and_expired_listings_are_never_shown() -> None:
    rows = [
        _row(0, "一般事務 データ入力"),
        _row(1, "一般事務 データ入力 募集", status="closed"),
        _row(2, "一般事務 データ入力 急募", valid_through=datetime(2026, 1, 1)),
    ]
    page = recommend(_index(rows), parse_profile({"desired_titles": ["一般事務"]}), k=10, now=NOW)
    assert [r.listing["id"] for r in page.results] == ["l0"]
    assert page.candidates == 1


def test_title_match_ranks_first_and_is_explained() -> None:
    rows = [_row(0, "倉庫内軽作業"), _row(1, "一般事務・データ入力"), _row(2, "営業")]
    page = recommend(_index(rows), parse_profile({"desired_titles": ["データ入力"]}), k=3, now=NOW)
    assert page.results[0].listing["id"] == "l1"
    assert any(r["kind"] == "relevance" and "データ入力" in r["text"] for r in page.results[0].reasons)


def test_needs_met_carry_their_evidence() -> None:
    gap = {"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "text"}
    rows = [_row(0, "一般事務"), _row(1, "一般事務", signals=[gap], supportiveness=0.33)]
    page = recommend(_index(rows), parse_profile({"desired_titles": ["一般事務"], "needs": ["career_gap_ok"]}),
                     k=2, now=NOW)
    top = page.results[0]
    assert top.listing["id"] == "l1"
    need = next(r for r in top.reasons if r["kind"] == "need")
    assert need["evidence"] == "ブランクOK"
    assert any(r["kind"] == "lacks" and r["tag"] == "career_gap_ok" for r in page.results[1].reasons)


def test_constraints_filter_and_avoid() -> None:
    night = {"tag": "night_shift", "evidence": "夜勤あり", "source": "text"}
    rows = [
        _row(0, "介護スタッフ", signals=[night]),
        _row(1, "介護スタッフ", locations=[{"country": "JP", "region": "大阪府", "locality": None,
                                            "postal_code": None}]),
        _row(2, "介護スタッフ", employment_types=["FULL_TIME"]),
        _row(3, "介護スタッフ"),
    ]
    profile = parse_profile({
        "desired_titles": ["介護"], "avoid": ["night_shift"],
        "constraints": {"locations": [{"country": "JP", "region": "東京都"}], "max_hours_per_week": 20},
    })
    page = recommend(_index(rows), profile, k=1, now=NOW)
    assert [r.listing["id"] for r in page.results] == ["l3"]
    assert page.matching == 1
    assert page.results[0].misses == []


def test_never_an_empty_page_nearest_matches_are_marked() -> None:
    rows = [_row(0, "データ入力 一般事務", remote="onsite"), _row(1, "データ入力", remote="onsite")]
    profile = parse_profile({"desired_titles": ["データ入力"], "constraints": {"remote": "required"}})
    page = recommend(_index(rows), profile, k=5, now=NOW)
    assert page.matching == 0
    assert len(page.results) == 2
    assert page.narrowest_constraint == "remote"
    assert all(r.misses == ["remote"] for r in page.results)
    assert any("いちばん絞り込んでいる条件は在宅勤務の条件です" in note for note in page.notes)
    assert any(r["kind"] == "misses" for r in page.results[0].reasons)
    assert page.notice is not None and page.notice.kind == "few_fit"
    assert (page.notice.widen, page.notice.widen_adds) == ("remote", 2)
    # How many fit is said once, by the notice, not again in a note.
    assert not any("条件に合う求人は" in note for note in page.notes)


def test_unstated_pay_is_unknown_and_ranks_below_stated_pay() -> None:
    rows = [
        _row(0, "清掃スタッフ", salary={"min": 1000.0, "max": 1000.0, "currency": "JPY", "unit": "HOUR", "text": None}),
        _row(1, "清掃スタッフ", salary=None),
        _row(2, "清掃スタッフ", salary={"min": 1300.0, "max": None, "currency": "JPY", "unit": "HOUR", "text": None}),
    ]
    profile = parse_profile({"desired_titles": ["清掃"], "constraints": {
        "min_salary": {"amount": 1100, "currency": "JPY", "unit": "HOUR"}}})
    page = recommend(_index(rows), profile, k=2, now=NOW)
    assert [r.listing["id"] for r in page.results] == ["l2", "l1"]
    assert (page.matching, page.confirmed) == (2, 1)
    unstated = page.results[1]
    assert {"kind": "unknown", "tag": "min_salary", "text": "給与が書かれていません"} in unstated.reasons
    assert not any(r["kind"] == "constraint" for r in unstated.reasons)
    assert any(r["kind"] == "constraint" and r["tag"] == "min_salary" for r in page.results[0].reasons)


def test_empty_snapshot_says_what_to_do() -> None:
    page = recommend(_index([]), parse_profile({"summary": "anything"}), k=3, now=NOW)
    assert page.results == []
    assert "ippo refresh" in page.notes[0]


def test_english_only_embeddings_do_not_rank_japanese_profiles() -> None:
    import numpy as np

    rows = [_row(0, "一般事務"), _row(1, "データ入力")]
    # Vectors that would put listing 0 first if the dense side counted.
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    index = ServingIndex.build("test", rows, vectors=vectors)
    query = np.array([1.0, 0.0], dtype=np.float32)
    ja = recommend(index, parse_profile({"language": "ja", "desired_titles": ["データ入力"]}), k=2,
                   query_vector=query, now=NOW)
    assert ja.results[0].listing["id"] == "l1"
    assert all(r.parts["dense"] == 0.0 for r in ja.results)
    en = recommend(index, parse_profile({"language": "en", "desired_titles": ["データ入力"]}), k=2,
                   query_vector=query, now=NOW)
    assert any(r.parts["dense"] > 0.0 for r in en.results)
