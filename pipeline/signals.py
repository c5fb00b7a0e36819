"""Supportive-signal tagger: which tags of SUPPORTIVE_SIGNALS.md a listing's own text raises.

Why this shape:
- All phrases, negations and restrictions live in ``pipeline/vocab/signals.toml`` so that
  vocabulary can be reviewed and extended without touching code.
- Text is folded (Unicode NFKC, lower-case) so ＯＫ/OK, ２０/20 and ～/~ match alike, but every
  evidence span is cut from the ORIGINAL text, so a person sees exactly what the listing says.
- One compiled alternation per language is scanned once per text: the loader tags 100,000
  listings, so there is no per-call compilation and no per-rule scan of the whole text.
- Against-evidence (未経験不可, "no remote") is tried before raise patterns at the same position,
  so a negated phrase is kept as evidence against the tag and never raises it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from pipeline.canonical import Signal, SignalSource
from pipeline.language import detect_language

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"
VOCAB_FILE = "signals.toml"
LANGS = ("ja", "en")

_JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


class TagResult(TypedDict):
    """Both sides of the evidence: tags the text raises and tags it speaks against."""

    raised: list[Signal]
    against: list[Signal]


@dataclass(frozen=True)
class _TagMatcher:
    """One tag in one language: its trigger stems and one regex with two named groups
    (``against`` tried before ``raise`` at each position)."""

    tag: str
    triggers: tuple[str, ...]
    regex: re.Pattern[str]


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the tag and the pattern."""


def _load_vocab() -> dict[str, Any]:
    text = (VOCAB_DIR / VOCAB_FILE).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: not valid TOML: {exc}") from exc


_VOCAB = _load_vocab()
_MACROS: dict[str, str] = dict(_VOCAB.get("macros", {}))

SUPPORTIVE_TAGS: tuple[str, ...] = tuple(
    tag for tag, spec in _VOCAB["tags"].items() if spec.get("kind") == "supportive"
)
CONSTRAINT_TAGS: tuple[str, ...] = tuple(
    tag for tag, spec in _VOCAB["tags"].items() if spec.get("kind") == "constraint"
)
ALL_TAGS: tuple[str, ...] = SUPPORTIVE_TAGS + CONSTRAINT_TAGS


def _expand(pattern: str) -> str:
    for name, value in _MACROS.items():
        pattern = pattern.replace(f"<{name}>", value)
    return pattern


def _compile(tag: str, pattern: str) -> re.Pattern[str]:
    try:
        regex = re.compile(_expand(pattern), re.MULTILINE)
    except re.error as exc:
        raise VocabularyError(
            f"pipeline/vocab/{VOCAB_FILE}: tag {tag!r}, pattern {pattern!r}: {exc}"
        ) from exc
    if regex.groups:
        raise VocabularyError(
            f"pipeline/vocab/{VOCAB_FILE}: tag {tag!r}, pattern {pattern!r}: use (?:...) not capturing groups"
        )
    return regex


def _tag_regex(tag: str, against: list[str], raising: list[str]) -> re.Pattern[str]:
    parts = []
    if against:
        parts.append("(?P<against>" + "|".join(f"(?:{_compile(tag, p).pattern})" for p in against) + ")")
    if raising:
        parts.append("(?P<raise>" + "|".join(f"(?:{_compile(tag, p).pattern})" for p in raising) + ")")
    return re.compile("|".join(parts), re.MULTILINE)


@lru_cache(maxsize=len(LANGS))
def _matchers(lang: str) -> tuple[_TagMatcher, ...]:
    """Compile every tag of one language once; tags without patterns in it are left out."""
    out = []
    for tag, spec in _VOCAB["tags"].items():
        against = list(spec.get(f"{lang}_against", []))
        raising = list(spec.get(lang, []))
        if not against and not raising:
            continue
        triggers = tuple(spec.get(f"{lang}_triggers", []))
        if not triggers:
            raise VocabularyError(
                f"pipeline/vocab/{VOCAB_FILE}: tag {tag!r} has {lang} patterns but no {lang}_triggers"
            )
        out.append(_TagMatcher(tag, triggers, _tag_regex(tag, against, raising)))
    return tuple(out)


def detect_lang(text: str) -> str:
    """Japanese when kana and kanji make up a real share of the text, else English."""
    return detect_language(text) or "en"


def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower()


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Fold text for matching; return (folded, offsets) where offsets is None when folded[i]
    comes from text[i] (the common case), else a map from folded index to original index
    (with one extra entry for the end)."""
    if text.isascii():
        return text.lower(), None
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        return folded, None
    return _fold_with_offsets(text)


@lru_cache(maxsize=1)
def _length_changing() -> re.Pattern[str]:
    """Characters (BMP) whose folding changes length or that compose with a neighbour
    (combining marks, half-width voiced sound marks). Built once, on first need."""
    chars = []
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = _fold_char(ch)
        if len(folded) != 1 or unicodedata.combining(ch) or unicodedata.combining(folded[:1] or ch):
            chars.append(ch)
    chars.extend(["\uff9e", "\uff9f"])
    return re.compile("[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]|[\U00010000-\U0010ffff]")


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    offsets: list[int] = []

    def plain(start: int, end: int) -> None:
        segment = text[start:end]
        folded = unicodedata.normalize("NFKC", segment).lower()
        if len(folded) == len(segment):
            parts.append(folded)
            offsets.extend(range(start, end))
        else:
            for i in range(start, end):
                single(i)

    def single(i: int) -> None:
        f = _fold_char(text[i])
        parts.append(f)
        offsets.extend([i] * len(f))

    last = 0
    for m in _length_changing().finditer(text):
        if m.start() > last:
            plain(last, m.start())
        single(m.start())
        last = m.end()
    if last < len(text):
        plain(last, len(text))
    offsets.append(len(text))
    return "".join(parts), offsets


# A match must lie within this many characters of one of its tag's triggers (before / after
# the trigger's start). Patterns are phrases, far shorter than this.
_WINDOW_BEFORE = 64
_WINDOW_AFTER = 80


@lru_cache(maxsize=len(LANGS))
def _trigger_owners(lang: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each distinct trigger of the language and the matchers (indexes) it belongs to.

    Several tags share triggers (時間, hours): each is looked up once per text. (One regex
    alternation of all triggers was measured slower: Python's engine tries every alternative
    at every letter, while str.find skips through the text in C.)
    """
    owners: dict[str, list[int]] = {}
    for number, matcher in enumerate(_matchers(lang)):
        for trigger in matcher.triggers:
            owners.setdefault(trigger, [])
            if number not in owners[trigger]:
                owners[trigger].append(number)
    return tuple((trigger, tuple(numbers)) for trigger, numbers in owners.items())


def _trigger_positions(folded: str, lang: str) -> list[list[int]]:
    """For each matcher of the language, the sorted start positions of its triggers in folded."""
    positions: list[list[int]] = [[] for _ in _matchers(lang)]
    find = folded.find
    for trigger, numbers in _trigger_owners(lang):
        pos = find(trigger)
        if pos == -1:
            continue
        found = []
        while pos != -1:
            found.append(pos)
            pos = find(trigger, pos + 1)
        for number in numbers:
            positions[number].extend(found)
    for found in positions:
        found.sort()
    return positions


def _trigger_windows(folded: str, positions: list[int]) -> list[tuple[int, int]]:
    """Merged (start, end) windows of folded text around the sorted trigger positions."""
    if not positions:
        return []
    size = len(folded)
    windows: list[tuple[int, int]] = []
    cur_start = max(0, positions[0] - _WINDOW_BEFORE)
    cur_end = min(size, positions[0] + _WINDOW_AFTER)
    for pos in positions[1:]:
        start = max(0, pos - _WINDOW_BEFORE)
        if start <= cur_end:
            cur_end = min(size, max(cur_end, pos + _WINDOW_AFTER))
        else:
            windows.append((cur_start, cur_end))
            cur_start, cur_end = start, min(size, pos + _WINDOW_AFTER)
    windows.append((cur_start, cur_end))
    return windows


def _scan(folded: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """(tag, against, start, end) in folded coordinates, sorted by start."""
    found: list[tuple[str, bool, int, int]] = []
    for matcher, positions in zip(_matchers(lang), _trigger_positions(folded, lang), strict=True):
        if not positions:
            continue
        for win_start, win_end in _trigger_windows(folded, positions):
            for m in matcher.regex.finditer(folded, win_start, win_end):
                if m.end() > m.start():
                    found.append((matcher.tag, m.lastgroup == "against", m.start(), m.end()))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


def _spans(text: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """(tag, against, start, end) in the ORIGINAL text, in reading order."""
    folded, offsets = _fold(text)
    found = _scan(folded, lang)
    if offsets is None:
        if all(_fold_span(text[s:e]) == folded[s:e] for _, _, s, e in found):
            return found
        # NFKC changed lengths in ways that cancelled out: redo with an exact offset map.
        folded, offsets = _fold_with_offsets(text)
        found = _scan(folded, lang)
    return [(tag, against, offsets[s], offsets[e - 1] + 1) for tag, against, s, e in found]


def _fold_span(span: str) -> str:
    return unicodedata.normalize("NFKC", span).lower()


def _check(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{what}: expected text (str), got {type(text).__name__}")
    return text


def _resolve_lang(text: str, lang: str | None) -> str:
    if lang is None:
        return detect_lang(text)
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r} is not supported: use one of {', '.join(LANGS)} or None to detect")
    return lang


def tag_text_detailed(text: str, lang: str | None = None) -> TagResult:
    """Tags raised by the text and tags it speaks against, one entry per tag (first evidence).

    A tag may appear on both sides when the text says both (e.g. 未経験歓迎 in the title and
    経験者のみ for one of several roles): the ranker decides how to weigh that.
    """
    text = _check(text, "tag_text_detailed")
    if not text:
        return {"raised": [], "against": []}
    lang = _resolve_lang(text, lang)
    raised: dict[str, Signal] = {}
    against: dict[str, Signal] = {}
    for tag, is_against, start, end in _spans(text, lang):
        target = against if is_against else raised
        if tag not in target:
            target[tag] = Signal(tag=tag, evidence=text[start:end], source="text")
    return {"raised": list(raised.values()), "against": list(against.values())}


def tag_text(text: str, lang: str | None = None) -> list[Signal]:
    """Supportive tags and constraint facts raised by a listing's own text (not page chrome)."""
    return tag_text_detailed(text, lang)["raised"]


def negated_tags(text: str, lang: str | None = None) -> list[Signal]:
    """Evidence AGAINST tags, e.g. 未経験不可 against no_experience_ok, "no remote" against remote_ok."""
    return tag_text_detailed(text, lang)["against"]


_SOURCE_RANK: dict[SignalSource, int] = {"structured": 0, "registry": 1, "text": 2}


def merge_signals(*lists: list[Signal]) -> list[Signal]:
    """One entry per tag; structured beats registry beats text; order of first appearance."""
    best: dict[str, Signal] = {}
    for signals in lists:
        for signal in signals:
            tag = signal["tag"]
            current = best.get(tag)
            if current is None:
                best[tag] = signal
            elif _SOURCE_RANK.get(signal["source"], 9) < _SOURCE_RANK.get(current["source"], 9):
                best[tag] = signal  # dict keeps the tag's first position
    return list(best.values())


# Structured tagging lives in its own module; re-exported here as the public API.
from pipeline.signals_structured import tag_structured  # noqa: E402

__all__ = [
    "ALL_TAGS",
    "CONSTRAINT_TAGS",
    "SUPPORTIVE_TAGS",
    "TagResult",
    "VocabularyError",
    "detect_lang",
    "merge_signals",
    "negated_tags",
    "tag_structured",
    "tag_text",
    "tag_text_detailed",
]
