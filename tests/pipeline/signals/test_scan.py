"""The tagger's fast path gives the same answers as the plain computation it replaces:
regexes tried only where a match can start against ``finditer`` over the same trigger windows
(the folding it relies on is checked in tests/pipeline/text/test_fold.py)."""

from __future__ import annotations

import re

import pipeline.signals.tagger as signals
from pipeline.signals.evaluate import load_labelled
from tests.conftest import FIXTURES


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
        folded = signals._folded(item["text"])
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
            folded = signals._folded(text)
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
