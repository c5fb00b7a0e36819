"""Lexical terms respect word and script boundaries: English matches whole words first (their
letters count for less), Japanese terms are kanji and katakana runs, and character grams never
cross a word or a change of script. Hand-written listing titles."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ranker.lexical import TERM_WEIGHT, InnerGrams, LexicalIndex, WholeTerms, fold_plural
from ranker.profile import parse_profile
from ranker.recommend import LEXICAL_FLOOR, relevance_inputs
from ranker.serving_index import ServingIndex
from tests.ranker.test_relevance_floor import _row


def test_whole_terms_are_words_and_kanji_or_katakana_runs() -> None:
    terms = WholeTerms()("Excel data-entry clerks, C++ / C# developer: データ入力スタッフの募集")
    assert terms == ["excel", "data", "entry", "clerk", "c++", "c#", "developer", "データ", "入力", "スタッフ"]


def test_a_lone_kanji_and_hiragana_are_not_terms_but_kanji_keep_their_grams() -> None:
    assert WholeTerms()("海で魚をとる仕事") == []  # 仕事 says nothing about the work
    assert InnerGrams()("海で魚をとる") == [" 海", "海 ", " 海 ", " 魚", "魚 ", " 魚 "]
    assert WholeTerms()("組み立て作業") == ["作業"]


def test_function_words_and_bare_numbers_are_not_terms() -> None:
    assert WholeTerms()("Center of Excellence, Level 3, 20 hours") == ["center", "excellence", "level", "hour"]


def test_full_width_latin_is_folded_to_words() -> None:
    assert WholeTerms()("ＥＸＣＥＬ操作") == ["excel", "操作"]


def test_plural_folding_is_regular_plurals_only() -> None:
    words = ["nurses", "companies", "pilots", "business", "status", "analysis", "bus"]
    assert [fold_plural(w) for w in words] == ["nurse", "company", "pilot", "business", "status", "analysis", "bus"]


def test_inner_grams_stay_inside_a_run() -> None:
    grams = InnerGrams()("入力スタッフ")
    assert "力ス" not in grams and "入力ス" not in grams
    assert " 入力" in grams and "スタ" in grams


def test_a_skill_matches_the_word_above_a_longer_word_that_contains_it() -> None:
    index = LexicalIndex().fit(["Center of Excellence Director", "Excel data entry clerk", "Warehouse picker"])
    scores = index.scores("Excel")
    assert scores[1] > 2 * scores[0]
    assert scores[0] <= 1 - TERM_WEIGHT  # only the letters are shared, never the word
    assert scores[2] == 0.0


def test_related_word_forms_still_score_through_their_letters() -> None:
    index = LexicalIndex().fit(["Administrative assistant", "Forklift driver"])
    scores = index.scores("administrator")
    assert scores[0] > 5 * scores[1]  # a shared ending ("r ") is all the driver has


def test_a_japanese_title_matches_a_term_it_shares_and_not_an_unrelated_one() -> None:
    rows = [_row(0, "入力スタッフ"), _row(1, "倉庫内ピッキング"), _row(2, "Excel操作のある事務")]
    index = ServingIndex.build("t", rows, None)
    scores = relevance_inputs(index, parse_profile({"language": "ja", "desired_titles": ["データ入力"]}), None, None)
    assert scores.lexical[0] >= LEXICAL_FLOOR
    assert scores.lexical[1] == 0.0
    excel = index.lexical.scores("Excel")
    assert excel[2] > 10 * max(excel[0], excel[1])  # the others share only an "e" of "Employer"


def test_a_compound_shares_its_letters_with_a_shorter_title() -> None:
    index = LexicalIndex().fit(["正看護師", "介護職員"])
    scores = index.scores("看護師")
    assert scores[0] > 0.0 and scores[1] == 0.0


def test_the_fitted_index_survives_the_cache_round_trip(tmp_path: Path) -> None:
    index = LexicalIndex().fit(["Excel data entry clerk", "データ入力スタッフ", "Warehouse picker"])
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    for query in ["excel clerks", "データ入力", "picker"]:
        np.testing.assert_allclose(loaded.scores(query), index.scores(query))


def test_an_empty_corpus_scores_nothing() -> None:
    assert LexicalIndex().fit([]).scores("anything").shape == (0,)
