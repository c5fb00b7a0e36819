"""The tagger's fast paths give the same answers as the plain computations they replace:
chunked NFKC against ``unicodedata.normalize``, and regexes tried only where a match can start
against ``finditer`` over the same trigger windows."""

from __future__ import annotations

import random
import re
import unicodedata

import pipeline.signals.tagger as signals
from pipeline.signals.evaluate import load_labelled
from tests.conftest import FIXTURES

TRICKY = [
    "か\u3099き\u309aく",  # hiragana + combining voiced / semi-voiced marks
    "ﾎﾟｽﾄ ｶﾞｲﾄﾞ ﾊﾟｰﾄ",  # half-width katakana with half-width sound marks
    "\u1100\u1161\u11a8 \uac00\u11a8 \u1104\u1172",  # conjoining jamo that compose by rule
    "e\u0301 a\u0328\u0301 \u1e9b\u0323",  # combining marks that reorder and compose
    "（未経験ＯＫ）：週３日～！\u3000１日４時間",  # full-width forms common in listings
    "\u2460 \u3300 \ufb01 \u00a0 \u2026 \u00b8 \u00af \u0130",  # expand to several characters
    "\U0001d400\U000110ab \U00011099\U000110ba",  # outside the BMP, one pair composing
]


def test_chunked_nfkc_equals_whole_text_nfkc_on_tricky_text() -> None:
    for text in TRICKY:
        for prefix in ("", "a", "か", "\u3099"):
            sample = prefix + text
            assert signals._nfkc(sample) == unicodedata.normalize("NFKC", sample), repr(sample)


def test_chunked_nfkc_equals_whole_text_nfkc_on_random_text() -> None:
    rng = random.Random(20260517)
    pool = [*"".join(TRICKY), *"abc 日本語\n"]
    pool += [chr(c) for c in (*range(0x300, 0x370), *range(0x1100, 0x1200), *range(0xFF00, 0xFFF0))]
    for _ in range(20_000):
        sample = "".join(rng.choice(pool) for _ in range(rng.randint(1, 10)))
        assert signals._nfkc(sample) == unicodedata.normalize("NFKC", sample), repr(sample)


def test_no_character_outside_the_searched_range_composes_into_the_bmp() -> None:
    """_composing_seconds reads decompositions below _COMPOSITES_BELOW only; a canonical pair
    above it whose second half is in the BMP would make a BMP character wrongly stable."""
    for code in range(signals._COMPOSITES_BELOW, 0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            assert int(parts[1], 16) > 0xFFFF or int(parts[1], 16) in signals._composing_seconds()


def test_pattern_starts_reads_literal_prefixes() -> None:
    starts = signals._pattern_starts(re.compile(r"(?:業界|職種)?経験不問", re.M))
    assert starts == (("業界経験不問", "経験不問", "職種経験不問"), None)
    starts = signals._pattern_starts(re.compile(r"\bno remote\b|(?<=[(【])未経験(?:者)?$", re.M))
    assert starts == (("no remote", "未経験"), None)
    # A shorter start makes a longer one redundant.
    assert signals._pattern_starts(re.compile("remote work|remote", re.M)) == (("remote",), None)


def test_pattern_starts_keeps_wide_classes_as_a_regex() -> None:
    starts = signals._pattern_starts(re.compile(r"(?<![\d.])\d+ years|minimum", re.M))
    assert starts is not None
    literal, classes = starts
    assert literal == ("minimum",)
    assert classes is not None
    assert classes.match("٣") and classes.match("7") and not classes.match("x")


def test_pattern_starts_gives_up_when_a_match_could_begin_anywhere() -> None:
    for pattern in (r"a*b", r".x", r"[^a]bc", r"x?", r"(?i:remote)"):
        assert signals._pattern_starts(re.compile(pattern, re.M)) is None, pattern


def _windowed_finditer(folded: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """The scan without start filtering: each tag regex over its merged trigger windows."""
    found = []
    for matcher in signals._matchers(lang):
        positions = sorted(
            m.start() for trigger in matcher.triggers for m in re.finditer(f"(?={re.escape(trigger)})", folded)
        )
        for start, end in signals._trigger_windows(folded, positions):
            for m in matcher.regex.finditer(folded, start, end):
                if m.end() > m.start():
                    found.append((matcher.tag, m.lastgroup == "against", m.start(), m.end()))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


def test_scan_equals_windowed_finditer_on_the_labelled_set() -> None:
    items = load_labelled(FIXTURES / "signals" / "labelled.jsonl")
    assert items
    for item in items:
        folded, _offsets = signals._fold(item["text"])
        assert signals._scan(folded, item["lang"]) == _windowed_finditer(folded, item["lang"]), item["id"]


def test_scan_equals_windowed_finditer_where_windows_cut_patterns() -> None:
    texts = {
        "en": [
            "5 years of experience\n٣ years of relevant experience; minimum 2 years. entry-level",
            "we will train you. no remote work. remote-first team, hybrid cloud, remote sites",
            "experience " + "x" * 70 + " 10 years of experience at least two years of",
        ],
        "ja": [
            "(未経験)歓迎 経験者のみ 実務経験3年以上必須\n未経験\n週3日～ 1日4時間から",
            "（未経験ＯＫ）" + "あ" * 60 + "経験不問 在宅勤務 出社必須 テレワーク表彰",
        ],
    }
    for lang, samples in texts.items():
        for text in samples:
            folded, _offsets = signals._fold(text)
            assert signals._scan(folded, lang) == _windowed_finditer(folded, lang), text


def test_without_pythons_regex_parser_the_tagger_only_slows_down(monkeypatch) -> None:
    items = load_labelled(FIXTURES / "signals" / "labelled.jsonl")
    expected = [signals.tag_text_detailed(item["text"], item["lang"]) for item in items]
    monkeypatch.setattr(signals, "sre_parse", None)
    signals._index.cache_clear()
    try:
        assert all(signals._pattern_starts(m.regex) is None for m in signals._matchers("en"))
        assert [signals.tag_text_detailed(item["text"], item["lang"]) for item in items] == expected
    finally:
        monkeypatch.undo()
        signals._index.cache_clear()
