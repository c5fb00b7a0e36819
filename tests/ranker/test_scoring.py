"""Interest fit, diversity, feedback, sensitive needs, negated evidence and the vectorized
constraints, on small hand-built listings (their text is written for these tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from pipeline.warehouse.serving_columns import with_serving_fields
from ranker.fairness import needs_coverage
from ranker.feedback import FeedbackSignals, LikedListing
from ranker.profile import parse_profile
from ranker.recommend import MAX_PER_EMPLOYER, recommend
from ranker.serving_index import ServingIndex

NOW = datetime(2026, 11, 26)


def _row(i: int, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"l{i:03d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None, "salary": None,
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    # As a published snapshot holds it: with its against-evidence and occupation interests.
    return with_serving_fields([row])[0]


def _tag(tag: str, evidence: str = "stated") -> dict[str, str]:
    return {"tag": tag, "evidence": evidence, "source": "text"}


def _ids(page: Any) -> list[str]:
    return [r.listing["id"] for r in page.results]


def test_interest_fit_prefers_the_congruent_occupation_and_says_why() -> None:
    nurse = {"taxonomy": "onet", "code": "29-1141.00", "title": "Registered Nurses", "confidence": 0.9}
    clerk = {"taxonomy": "onet", "code": "43-3031.00", "title": "Bookkeeping Clerks", "confidence": 0.9}
    rows = [_row(0, "Care assistant", occupation=clerk, language="en"),
            _row(1, "Care assistant", occupation=nurse, language="en")]
    profile = parse_profile({"desired_titles": ["Care assistant"], "interests": {"S": 7, "I": 5, "C": 2, "R": 1,
                                                                                 "A": 1, "E": 1}})
    page = recommend(ServingIndex.build("t", rows, None), profile, k=2, now=NOW)
    assert _ids(page) == ["l001", "l000"]
    top, second = page.results
    assert top.parts["aptitude"] > 0.8 > 0.5 > second.parts["aptitude"]
    reason = next(r for r in top.reasons if r.get("tag") == "interest_fit")
    assert reason["kind"] == "interest"
    assert "S (Social), I (Investigative)" in reason["text"] and "Registered Nurses" in reason["text"]
    poor = next(r for r in second.reasons if r.get("tag") == "interest_fit")
    assert poor["kind"] == "lacks" and "C (Conventional)" in poor["text"]


def test_unknown_occupation_is_neutral_with_a_caveat() -> None:
    page = recommend(ServingIndex.build("t", [_row(0, "事務")], None),
                     parse_profile({"desired_titles": ["事務"], "interests": {"C": 6, "R": 1}}), k=1, now=NOW)
    assert page.results[0].parts["aptitude"] == 0.5
    assert any(r["kind"] == "caveat" and "判断していません" in r["text"] for r in page.results[0].reasons)


def test_page_is_not_ten_copies_of_one_employer_or_title() -> None:
    same = {"name": "Big Co", "normalized_name": "big co", "registry_tags": []}
    rows = [_row(i, "データ入力スタッフ", employer=same) for i in range(12)]
    rows += [_row(20 + i, f"データ入力 事務 {i}") for i in range(8)]
    page = recommend(ServingIndex.build("t", rows, None), parse_profile({"desired_titles": ["データ入力スタッフ"]}),
                     k=10, now=NOW)
    employers = [r.listing["employer"]["name"] for r in page.results]
    assert len(page.results) == 10
    assert employers.count("Big Co") == MAX_PER_EMPLOYER
    titles = [r.listing["title"] for r in page.results]
    assert max(titles.count(t) for t in titles) <= 2


def test_caps_give_way_when_nothing_else_exists() -> None:
    same = {"name": "Big Co", "normalized_name": "big co", "registry_tags": []}
    rows = [_row(i, "清掃", employer=same) for i in range(5)]
    page = recommend(ServingIndex.build("t", rows, None), parse_profile({"desired_titles": ["清掃"]}), k=5, now=NOW)
    assert len(page.results) == 5


def test_dismissed_never_returns_and_saved_lifts_similar_listings() -> None:
    rows = [_row(i, f"事務スタッフ {i}") for i in range(6)]
    vectors = np.eye(6, 8, dtype=np.float32)
    vectors[5] = vectors[0] * 0.8 + vectors[1] * 0.6  # listing 5 resembles listing 0
    index = ServingIndex.build("t", rows, vectors)
    profile = parse_profile({"desired_titles": ["事務スタッフ"]})
    query = (vectors[2] + vectors[3] + vectors[4]) / np.sqrt(3)  # the person's query resembles 2, 3 and 4
    before = recommend(index, profile, k=6, now=NOW, query_vector=query)
    feedback = FeedbackSignals(dismissed=frozenset({"l002"}),
                               liked=[LikedListing("l000", "事務スタッフ 0", "saved", vectors[0])])
    after = recommend(index, profile, k=6, now=NOW, query_vector=query, feedback=feedback)
    assert "l002" in _ids(before) and "l002" not in _ids(after)
    assert any("「合わない」とした求人1件は表示していません" in note for note in after.notes)
    assert _ids(after).index("l005") < _ids(before).index("l005")
    similar = next(r for r in after.results if r.listing["id"] == "l005")
    assert similar.parts["feedback"] == pytest.approx((0.8 - 0.5) / 0.5, abs=1e-4)
    assert any(r["kind"] == "feedback" and "保存した求人に似ています：事務スタッフ 0" in r["text"]
               for r in similar.reasons)
    saved = next(r for r in after.results if r.listing["id"] == "l000")
    assert any(r["kind"] == "feedback" and r["text"] == "保存した求人です" for r in saved.reasons)


def test_sensitive_need_only_adds() -> None:
    rows = []
    for i in range(30):
        signals = []
        if i % 5 == 0:
            signals.append(_tag("career_gap_ok"))
        if i % 4 == 0:
            signals.append(_tag("disability_employment", "障害者雇用枠"))
        rows.append(_row(i, f"軽作業スタッフ {i}", signals=signals))
    index = ServingIndex.build("t", rows, None)
    plain = parse_profile({"desired_titles": ["軽作業"], "needs": ["career_gap_ok"]})
    disclosed = parse_profile({"desired_titles": ["軽作業"], "needs": ["career_gap_ok", "disability_employment"],
                               "consent": {"sensitive_needs": True}})
    without = recommend(index, plain, k=10, now=NOW)
    with_need = recommend(index, disclosed, k=10, now=NOW)
    assert needs_coverage(with_need, ["career_gap_ok"], index) >= needs_coverage(without, ["career_gap_ok"], index)
    mask = index.tag_mask("disability_employment")
    hits = [sum(bool(mask[index.position(i)]) for i in _ids(p)) for p in (without, with_need)]
    assert hits[1] > hits[0]
    # A listing meeting the sensitive need but not career_gap_ok never displaces one that meets it.
    gap = index.tag_mask("career_gap_ok")
    assert sum(bool(gap[index.position(i)]) for i in _ids(with_need)) >= \
        sum(bool(gap[index.position(i)]) for i in _ids(without))


def test_text_against_a_need_is_shown_with_its_evidence() -> None:
    rows = [_row(0, "一般事務", description="一般事務。経験者のみ募集します。")]
    page = recommend(ServingIndex.build("t", rows, None),
                     parse_profile({"desired_titles": ["一般事務"], "needs": ["no_experience_ok"]}), k=1, now=NOW)
    lacks = next(r for r in page.results[0].reasons if r.get("tag") == "no_experience_ok")
    assert lacks["kind"] == "lacks" and lacks["text"].startswith("ご希望とは反対のことが書かれています")
    assert lacks["evidence"] == "経験者のみ"


@pytest.mark.parametrize(
    ("constraints", "expected"),
    [
        ({"max_hours_per_week": 20}, {"l000", "l002", "l003"}),
        ({"employment_types": ["FULL_TIME"]}, {"l001", "l003"}),
        ({"remote": "required"}, {"l002"}),
        ({"remote": "avoid"}, {"l000", "l001", "l003"}),
        ({"min_salary": {"amount": 1200, "currency": "JPY", "unit": "HOUR"}}, {"l001", "l002", "l003"}),
        ({"locations": [{"country": "JP", "region": "大阪"}]}, {"l002", "l003"}),
        ({"locations": [{"country": "JP", "locality": "渋谷"}]}, {"l002", "l003"}),
        ({"locations": [{"country": "JP", "locality": "新宿"}], "remote": "avoid"}, {"l000", "l001", "l003"}),
    ],
)
def test_vectorized_constraints(constraints: dict[str, Any], expected: set[str]) -> None:
    rows = [
        _row(0, "受付", hours_per_week={"min": 15.0, "max": 20.0},
             salary={"min": 1100.0, "max": 1150.0, "currency": "JPY", "unit": "HOUR", "text": None}),
        _row(1, "受付", employment_types=["FULL_TIME"],
             salary={"min": 250000.0, "max": None, "currency": "JPY", "unit": "MONTH", "text": None}),
        _row(2, "受付", remote="remote", salary={"min": 40000.0, "max": None, "currency": "USD", "unit": "YEAR",
                                                "text": None}),
        _row(3, "受付", employment_types=[], locations=[]),
    ]
    page = recommend(ServingIndex.build("t", rows, None), parse_profile({"desired_titles": ["受付"],
                                                                         "constraints": constraints}), k=4, now=NOW)
    assert {r.listing["id"] for r in page.results if not r.misses} == expected
    assert page.matching == len(expected)
