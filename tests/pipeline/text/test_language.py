from __future__ import annotations

from pipeline.text.language import detect_language, is_japanese


def test_japanese_and_english() -> None:
    assert detect_language("未経験歓迎！一般事務のお仕事です。Excelが使える方") == "ja"
    assert detect_language("Senior DevOps Engineer, Melbourne") == "en"


def test_bullets_and_a_kanji_name_do_not_make_english_japanese() -> None:
    text = "・ Build the foundation\n・ Guardian of reliability\nOur office in 東京 is near the station. " * 3
    assert detect_language(text) == "en"


def test_no_letters_is_unknown() -> None:
    assert detect_language("") is None
    assert detect_language("123 456 !!!") is None


def test_a_japanese_title_with_english_words_is_japanese() -> None:
    # A job tag alias: the long-vowel mark of テスター counts, as it does in any katakana word.
    assert is_japanese("QA（Quality Assurance）テスター")
    assert is_japanese("看護師")
    assert is_japanese("ｶﾞｲﾄﾞ")


def test_rules_and_bullets_alone_are_not_japanese() -> None:
    assert not is_japanese("Engineer・Tokyo")
    assert not is_japanese("Senior Engineer ーーーー Remote")
    assert not is_japanese("Sales Manager (東京)")
    assert not is_japanese("")
    assert not is_japanese(None)
