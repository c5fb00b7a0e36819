"""The relevance floor and the "few fit" notice: a listing far from what the person asked for
is never called a recommendation, and a page with fewer than k fits says so plainly, in the
profile's language, with what to widen. Hand-built listings (their text is written for these
tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from ranker.present import page_to_dict, page_to_text
from ranker.profile import parse_profile
from ranker.recommend import DENSE_FLOOR, LEXICAL_FLOOR, above_floor, recommend, relevance_inputs
from ranker.serving_index import ServingIndex

NOW = datetime(2026, 11, 26)


def _row(i: int, title: str, region: str = "東京都", **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"f{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": [{"country": "JP", "region": region, "locality": None, "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 10.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


ROWS = [_row(0, "データ入力スタッフ"), _row(1, "倉庫内ピッキング"), _row(2, "警備員"), _row(3, "調理補助")]


def test_a_listing_below_the_floor_is_only_a_nearest_match_and_the_page_says_few_fit() -> None:
    index = ServingIndex.build("t", ROWS, None)
    profile = parse_profile({"language": "ja", "desired_titles": ["データ入力"]})
    scores = relevance_inputs(index, profile, None, None)
    assert scores.lexical[0] >= LEXICAL_FLOOR > scores.lexical[1:].max()
    page = recommend(index, profile, k=3, now=NOW)
    assert page.matching == 1
    assert [r.misses for r in page.results] == [[], ["relevance"], ["relevance"]]
    below = page.results[1]
    assert any(r["kind"] == "misses" and r["tag"] == "relevance" for r in below.reasons)
    assert not any(r["kind"] == "relevance" for r in below.reasons)
    assert page.notice is not None and page.notice.kind == "few_fit"
    assert "1件だけ" in page.notice.message
    assert page.notice.widen is None and "職種やスキル" in page.notice.message


def test_no_notice_when_k_listings_fit() -> None:
    rows = [_row(i, f"データ入力 {i}") for i in range(4)]
    page = recommend(ServingIndex.build("t", rows, None), parse_profile({"desired_titles": ["データ入力"]}), k=3,
                     now=NOW)
    assert page.notice is None
    assert all(r.misses == [] for r in page.results)


def test_the_notice_names_the_narrowest_constraint_in_english() -> None:
    rows = [_row(0, "Data entry clerk", region="大阪府", language="en"),
            _row(1, "Data entry assistant", region="大阪府", language="en"),
            _row(2, "Data entry operator", language="en")]
    profile = parse_profile({"language": "en", "desired_titles": ["Data entry"],
                             "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}})
    page = recommend(ServingIndex.build("t", rows, None), profile, k=3, now=NOW)
    assert page.matching == 1
    assert page.notice is not None
    assert (page.notice.widen, page.notice.widen_adds) == ("location", 2)
    assert page.notice.message == ("Only 1 listing(s) fit what you asked for right now. The nearest ones follow, "
                                   "each with what it misses. Widening the places would add 2 listing(s).")
    shown = page_to_dict(page)
    assert shown["notice"] == {"kind": "few_fit", "message": page.notice.message, "widen": "location",
                               "widen_adds": 2}
    text = page_to_text(page)
    assert text.index("!! Only 1 listing(s)") < text.index("1. Data entry operator")
    assert text.index("1. Data entry operator") < text.index("--- nearest listings") < text.index("2. Data entry")


def test_with_sentence_vectors_the_floor_reads_the_dense_cosine() -> None:
    rows = [_row(0, "Office helper", language="en"), _row(1, "Data entry clerk", language="en"),
            _row(2, "Forklift driver", language="en")]
    query = np.array([1.0, 0.0], dtype=np.float32)
    # 0: no shared n-grams but close in meaning; 1: shares n-grams, far in meaning; 2: neither.
    vectors = np.array([[0.8, 0.6], [0.1, 0.995], [0.2, 0.98]], dtype=np.float32)
    index = ServingIndex.build("t", rows, vectors)
    profile = parse_profile({"language": "en", "desired_titles": ["Data entry"]})
    scores = relevance_inputs(index, profile, query, None)
    assert scores.dense is not None and scores.dense[0] >= DENSE_FLOOR > scores.dense[1]
    assert list(above_floor(scores)) == [True, False, False]
    page = recommend(index, profile, k=3, now=NOW, query_vector=query)
    assert page.matching == 1 and page.results[0].listing["id"] == "f00"
