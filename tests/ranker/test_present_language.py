"""The text page and the JSON page speak the page's language: a Japanese profile reads the
frame (counts, headings, place and pay words) in Japanese, an English one as before.
Hand-built listings."""

from __future__ import annotations

from datetime import datetime

from ranker.present import page_to_dict, page_to_text, salary_text
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.ranker.test_relevance_floor import _row

NOW = datetime(2026, 11, 26)
ROWS = [
    _row(0, "データ入力スタッフ", salary={"min": 1200, "max": 1200, "currency": "JPY", "unit": "HOUR", "text": None}),
    _row(1, "データ入力", remote="remote", locations=[], employer=None),
]


def test_a_japanese_page_reads_in_japanese() -> None:
    page = recommend(ServingIndex.build("t", ROWS, None), parse_profile({"desired_titles": ["データ入力"]}), k=3,
                     now=NOW)
    text = page_to_text(page)
    assert text.startswith("公開中の求人2件のうち、すべての条件に合うのは2件")
    assert "時給1,200円" in text and "雇用主の記載なし" in text and "在宅" in text and "スコア" in text
    assert "open listings" not in text and "not stated" not in text
    shown = page_to_dict(page)
    assert shown["language"] == "ja"
    assert next(r for r in shown["results"] if r["id"] == "f01")["location"] == "在宅"


def test_an_english_page_reads_as_before() -> None:
    page = recommend(ServingIndex.build("t", ROWS, None),
                     parse_profile({"language": "en", "desired_titles": ["データ入力"]}), k=3, now=NOW)
    text = page_to_text(page)
    assert text.startswith("2 of 2 open listings meet every constraint")
    assert "1,200 JPY per hour" in text and "employer not stated" in text
    assert page_to_dict(page)["language"] == "en"


def test_pay_words_per_language() -> None:
    monthly = {"min": 200000, "max": 250000, "currency": "JPY", "unit": "MONTH", "text": None}
    assert salary_text(monthly, "ja") == "月給200,000-250,000円"
    assert salary_text(monthly, "en") == "200,000-250,000 JPY per month"
    assert salary_text(None, "ja") == "給与の記載なし"
