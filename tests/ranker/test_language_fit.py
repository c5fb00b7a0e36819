"""A listing in a language the person does not read ranks below an equal one they can read and
says so in its score parts; a listing of unknown language costs nothing; a profile may name the
languages its person reads. Hand-built listings."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from ranker.language_fit import LANGUAGE_PENALTY, language_penalty, language_reasons, read_languages
from ranker.listing_features import LANGUAGE_CODES, language_code
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.ranker.test_relevance_floor import _row

NOW = datetime(2026, 11, 26)


def test_language_codes() -> None:
    assert [language_code(v) for v in ("ja", "en", "de", None, "")] == [1, 2, 3, 0, 0]


def test_the_languages_read_default_to_the_page_language() -> None:
    assert read_languages(parse_profile({"language": "ja", "desired_titles": ["清掃"]})) == ["ja"]
    assert read_languages(parse_profile({"desired_titles": ["Cleaner"]})) == ["en"]
    assert read_languages(parse_profile({"language": "ja", "reads": ["ja", "en"], "desired_titles": ["清掃"]})) == [
        "ja", "en"]


def test_the_penalty_falls_only_on_a_stated_language_the_person_does_not_read() -> None:
    codes = np.array([LANGUAGE_CODES["ja"], LANGUAGE_CODES["en"], 0, LANGUAGE_CODES["other"]], dtype=np.int8)
    ja = parse_profile({"language": "ja", "desired_titles": ["清掃"]})
    assert language_penalty(codes, ja).tolist() == pytest.approx([0.0, LANGUAGE_PENALTY, 0.0, LANGUAGE_PENALTY])
    both = parse_profile({"language": "ja", "reads": ["en", "ja"], "desired_titles": ["清掃"]})
    assert language_penalty(codes, both).tolist() == pytest.approx([0.0, 0.0, 0.0, LANGUAGE_PENALTY])


def test_a_listing_the_person_can_read_comes_first_among_equals() -> None:
    rows = [_row(0, "Web デザイナー", language="en"), _row(1, "Web デザイナー", language="ja")]
    index = ServingIndex.build("t", rows, None)
    page = recommend(index, parse_profile({"language": "ja", "desired_titles": ["Webデザイナー"]}), k=2, now=NOW)
    assert [r.listing["id"] for r in page.results] == ["f01", "f00"]
    assert page.results[1].parts["language_gap"] == LANGUAGE_PENALTY
    assert "language_gap" not in page.results[0].parts
    said = [r for r in page.results[1].reasons if r.get("tag") == "language"]
    unread = "英語で書かれた求人です（読める言語として挙げられていません）"
    assert said == [{"kind": "lacks", "tag": "language", "text": unread}]
    assert not any(r.get("tag") == "language" for r in page.results[0].reasons)
    reader = parse_profile({"language": "ja", "reads": ["ja", "en"], "desired_titles": ["Webデザイナー"]})
    both = recommend(index, reader, k=2, now=NOW)
    assert all("language_gap" not in r.parts for r in both.results)


def test_reads_rejects_a_language_ippo_does_not_know() -> None:
    from ranker.profile import ProfileError

    with pytest.raises(ProfileError, match="reads"):
        parse_profile({"reads": ["fr"], "desired_titles": ["Cleaner"]})


def test_the_reason_names_the_language_in_the_page_language() -> None:
    english = parse_profile({"desired_titles": ["Cleaner"]})
    assert language_reasons({"language": "ja"}, english, "en")[0]["text"].startswith("written in Japanese")
    assert language_reasons({"language": "de"}, english, "en")[0]["text"].startswith("written in another language")
    assert language_reasons({"language": "en"}, english, "en") == []
    assert language_reasons({"language": None}, english, "en") == []
