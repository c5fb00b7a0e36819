"""The literal pass shared by the listing-fact readers: LiteralIndex, finditer_at, search_at."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.text.normalize import LiteralIndex, finditer_at, positions_line_up, search_at


def _expected(text: str, words: tuple[str, ...]) -> list[int]:
    """Every start of every word, overlapping ones too, by brute force."""
    return sorted({at for word in words for at in range(len(text)) if text.startswith(word, at)})


GROUPS = (("you", "you will", "will"), ("年", "経験"), ("fee", " fee", "e"))


def _index() -> LiteralIndex:
    index = LiteralIndex()
    for words in GROUPS:
        index.add(words)
    return index


def test_positions_are_every_start_of_every_word_of_each_group() -> None:
    text = "you will pay a fee; feel free. 経験3年以上 you"
    found = _index().positions(text)
    assert [list(positions) for positions in found] == [_expected(text, words) for words in GROUPS]
    assert found[0] == [0, 4, 38]


def test_a_text_holding_a_kept_text_or_held_by_one_gives_what_a_fresh_pass_gives() -> None:
    rng = random.Random(3)
    pieces = ["you will", " fee", "年", "経験", "ee", "x", "you", "\n", "will", "e", "yo"]
    for _ in range(300):
        index = _index()
        middle = "".join(rng.choices(pieces, k=rng.randrange(3, 30)))
        whole = "".join(rng.choices(pieces, k=rng.randrange(0, 6))) + middle + "".join(
            rng.choices(pieces, k=rng.randrange(0, 6)))
        first, second = (middle, whole) if rng.random() < 0.5 else (whole, middle)
        index.positions(first)
        for text in (second, first):
            assert [list(p) for p in index.positions(text)] == [_expected(text, words) for words in GROUPS], text


def test_groups_added_later_are_found_too() -> None:
    index = LiteralIndex()
    first = index.add(["remote"])
    assert index.positions("remote work")[first] == [0]
    second = index.add(["work"])
    assert index.positions("remote work")[second] == [7]


def test_a_group_needs_words() -> None:
    with pytest.raises(ValueError, match="non-empty words"):
        LiteralIndex().add([])
    with pytest.raises(ValueError, match="non-empty words"):
        LiteralIndex().add(["fee", ""])


def test_finditer_at_and_search_at_match_a_full_scan_when_every_match_starts_at_a_start() -> None:
    pattern = re.compile(r"\b(?:must|should)\s+(?:live|reside)\s+in\s+(?P<place>\w+)", re.IGNORECASE)
    text = "You MUST live in Canada. Others should reside in Japan; mustard should live in it."
    lower = text.lower()
    starts = _expected(lower, ("must", "should"))
    assert [m.span() for m in finditer_at(pattern, text, starts)] == [m.span() for m in pattern.finditer(text)]
    assert search_at(pattern, text, starts).span() == pattern.search(text).span()  # type: ignore[union-attr]
    assert search_at(pattern, text, []) is None


def test_positions_line_up_only_when_lower_case_keeps_every_offset() -> None:
    assert positions_line_up("Remote OK", "remote ok")
    assert not positions_line_up("İstanbul", "İstanbul".lower())  # lower-casing adds a character
    assert not positions_line_up("commıssion only", "commıssion only")  # a case-insensitive i matches ı
