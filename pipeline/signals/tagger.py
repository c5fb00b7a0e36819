"""Supportive-signal tagger: which tags of the signal vocabulary (docs/signals.md) a listing's text raises.

Why this shape:
- All phrases, negations and restrictions live in ``pipeline/vocab/signals/<tag>.toml`` so that
  vocabulary can be reviewed and extended without touching code.
- Text is folded as every field parser folds it (pipeline/text/fold.py: mojibake repaired,
  Unicode NFKC, one spelling of each dash and wave dash), then lower-cased, so ＯＫ/OK, ２０/20
  and 〜/~ match alike; every evidence span is cut from the ORIGINAL text, so a person sees
  exactly what the listing says.
- The loader tags 100,000 listings, so the work per text is kept small: one Aho-Corasick pass
  (built at first use from the vocabulary) finds every tag's triggers and the literal strings
  its patterns start with; a tag's regex (one alternation, compiled once) is then tried only at
  those starts inside the windows around its triggers. Results are exactly those of running
  each regex over its windows.
- Against-evidence (未経験不可, "no remote") is tried before raise patterns at the same position,
  so a negated phrase is kept as evidence against the tag and never raises it.
- A supportive tag raised inside an equal-opportunity or legal paragraph becomes its policy tag
  (``accommodations`` -> ``accommodation_policy``; pipeline.signals.boilerplate).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypedDict

import ahocorasick

from pipeline.canonical import Signal, SignalSource
from pipeline.signals.boilerplate import demote
from pipeline.signals.negation import negate_in_scope
from pipeline.signals.schedule import schedule_spans
from pipeline.signals.vocabulary import (
    ALL_TAGS,
    CONSTRAINT_TAGS,
    PATTERNS_DIR,
    POLICY_TAGS,
    SUPPORTIVE_TAGS,
    VocabularyError,
    vocabulary,
)
from pipeline.text.fold import fold, fold_with_offsets
from pipeline.text.language import detect_language
from pipeline.text.mojibake import has_mojibake
from pipeline.text.offsets import FoldMap

try:  # Python's own regex parser (3.11+ names); only the speed-up below needs it
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - then every tag regex is tried at every window position
    sre = sre_parse = None  # type: ignore[assignment]

LANGS = ("ja", "en")


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


_VOCAB = vocabulary()
# Tags whose raised phrases a negated clause turns against them (pipeline.signals.negation).
_NEGATION_SCOPED = frozenset(tag for tag, spec in _VOCAB["tags"].items() if spec.get("negation_scope"))
_MACROS: dict[str, str] = dict(_VOCAB.get("macros", {}))


def _expand(pattern: str) -> str:
    for name, value in _MACROS.items():
        pattern = pattern.replace(f"<{name}>", value)
    return pattern


def _compile(tag: str, pattern: str) -> re.Pattern[str]:
    try:
        regex = re.compile(_expand(pattern), re.MULTILINE)
    except re.error as exc:
        raise VocabularyError(
            f"pipeline/vocab/{PATTERNS_DIR}/{tag}.toml: pattern {pattern!r}: {exc}"
        ) from exc
    if regex.groups:
        raise VocabularyError(
            f"pipeline/vocab/{PATTERNS_DIR}/{tag}.toml: pattern {pattern!r}: use (?:...) not capturing groups"
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
                f"pipeline/vocab/{PATTERNS_DIR}/{tag}.toml: {lang} patterns but no {lang}_triggers"
            )
        out.append(_TagMatcher(tag, triggers, _tag_regex(tag, against, raising)))
    return tuple(out)


def detect_lang(text: str) -> str:
    """Japanese when kana and kanji make up a real share of the text, else English."""
    return detect_language(text) or "en"


def _folded(text: str) -> str:
    """The text as patterns see it: :func:`pipeline.text.fold.fold`, then lower-case."""
    return fold(text).lower()


# A match must lie within this many characters of one of its tag's triggers (before / after
# the trigger's start). Patterns are phrases, far shorter than this.
_WINDOW_BEFORE = 64
_WINDOW_AFTER = 80


# ---------------------------------------------------------------------------------------------
# Where each tag's patterns can start, read off the parsed regex.
#
# Python's regex engine finds a lone pattern with a literal prefix quickly, but an alternation
# of a tag's patterns has no common prefix, so finditer tries every pattern at every position of
# a window (~300 ns a character on listing text). Instead, the literal strings (or, for a
# pattern opening with a wide class such as \d, that class) every match must begin with are
# read from the parsed pattern once; the strings are found together with the triggers in one
# Aho-Corasick pass, and the tag regex is tried only where one occurs. The regex still decides
# every match, so the matches are exactly those of finditer over the same windows.
# ---------------------------------------------------------------------------------------------

_MAX_STARTS = 512  # no more literal starts than this per pattern: longer lists are cut short
_MAX_CLASS_CHARS = 32  # a [...] with more characters than this is kept as a class, not listed
if sre is not None:
    _ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})
    _REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})
    _CATEGORY_SOURCE = {
        sre.CATEGORY_DIGIT: r"\d",
        sre.CATEGORY_NOT_DIGIT: r"\D",
        sre.CATEGORY_SPACE: r"\s",
        sre.CATEGORY_NOT_SPACE: r"\S",
        sre.CATEGORY_WORD: r"\w",
        sre.CATEGORY_NOT_WORD: r"\W",
    }


@dataclass(frozen=True)
class _Class:
    """A wide character class a match may begin with, as regex source (e.g. ``[\\d]``)."""

    source: str


_Start = str | _Class


def _class_source(items: list[tuple[Any, Any]]) -> str | None:
    """Regex source of a parsed ``[...]`` (None for a category this module does not know)."""
    parts = []
    for op, av in items:
        if op is sre.NEGATE:
            parts.append("^")
        elif op is sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY and av in _CATEGORY_SOURCE:
            parts.append(_CATEGORY_SOURCE[av])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _class_starts(items: list[tuple[Any, Any]]) -> tuple[set[_Start], bool]:
    """A ``[...]``: its characters when they are few and plainly listed, else the class."""
    chars: set[_Start] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS_CHARS:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            chars = set()
            break
    if chars and len(chars) <= _MAX_CLASS_CHARS:
        return chars, True
    source = _class_source(items)
    return ({_Class(source)}, False) if source else ({""}, False)


def _starts_of_item(op: Any, av: Any) -> tuple[set[_Start], bool]:
    """(starts, complete) for one parsed item: complete means the item matches exactly one of
    the strings; otherwise every match of it begins with one of them ("" = no knowledge)."""
    if op is sre.LITERAL:
        return {chr(av)}, True
    if op in _ZERO_WIDTH:
        return {""}, True
    if op is sre.IN:
        return _class_starts(av)
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_ASCII | sre.SRE_FLAG_LOCALE):
            return {""}, False
        return _starts_of_seq(sub.data)
    if op is sre.BRANCH:
        starts: set[_Start] = set()
        complete = True
        for alternative in av[1]:
            alt_starts, alt_complete = _starts_of_seq(alternative.data)
            starts |= alt_starts
            complete = complete and alt_complete
        return starts, complete
    if op in _REPEATS:
        low, high, sub = av
        sub_starts, sub_complete = _starts_of_seq(sub.data)
        if low == high == 1:
            return sub_starts, sub_complete
        if low == 0 and high == 1 and sub_complete:
            return sub_starts | {""}, True
        if low >= 1:
            return sub_starts, False
    return {""}, False  # ANY, NOT_LITERAL, back-references, repeats that may match nothing


def _starts_of_seq(items: list[tuple[Any, Any]]) -> tuple[set[_Start], bool]:
    """(starts, complete) for a sequence: literal parts are joined while they stay complete.
    A class only ever comes first (after a literal it adds nothing to the literal)."""
    starts: set[_Start] = {""}
    for op, av in items:
        item_starts, item_complete = _starts_of_item(op, av)
        if starts != {""} and len(starts) * len(item_starts) > _MAX_STARTS:
            return starts, False
        starts = {
            (head or tail) if isinstance(tail, _Class) else head + tail
            for head in starts
            for tail in item_starts
            if isinstance(head, str)
        } | {head for head in starts if isinstance(head, _Class)}
        if not item_complete:
            return starts, False
    return starts, True


def _pattern_starts(regex: re.Pattern[str]) -> tuple[tuple[str, ...], re.Pattern[str] | None] | None:
    """What every match of regex begins with: literal strings (shortest kept: a string that
    starts with another adds nothing) and one regex of the wide classes; None when a match
    could begin anywhere or be empty — also when Python's regex parser is not available or not
    what this reads (a private module): then the tag is scanned with finditer, only slower."""
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
        if parsed.state.flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_LOCALE) or parsed.getwidth()[0] == 0:
            return None
        starts, _complete = _starts_of_seq(parsed.data)
    except (AttributeError, TypeError, ValueError, IndexError, KeyError):
        return None
    if not starts or "" in starts:
        return None
    kept: list[str] = []
    for string in sorted((s for s in starts if isinstance(s, str)), key=len):
        if not any(string.startswith(shorter) for shorter in kept):
            kept.append(string)
    sources = sorted(s.source for s in starts if isinstance(s, _Class))
    classes = re.compile("|".join(sources), regex.flags) if sources else None
    return tuple(sorted(kept)), classes


@dataclass(frozen=True)
class _LangIndex:
    """Everything one language's scan needs, built once from the vocabulary.

    ``automaton`` maps each word (a trigger, a literal start of some tag's patterns, or both)
    to (length - 1, matchers it triggers, matchers whose patterns may start with it).
    ``classes[i]`` finds the wide-class starts of matcher i (None: it has none);
    ``filtered[i]`` is False for a matcher whose patterns could start anywhere, which is then
    scanned with finditer as a whole.
    """

    matchers: tuple[_TagMatcher, ...]
    automaton: Any
    classes: tuple[re.Pattern[str] | None, ...]
    filtered: tuple[bool, ...]


@lru_cache(maxsize=len(LANGS))
def _index(lang: str) -> _LangIndex:
    """One Aho-Corasick automaton over every trigger and literal pattern start of the language."""
    matchers = _matchers(lang)
    words: dict[str, tuple[list[int], list[int]]] = {}
    classes: list[re.Pattern[str] | None] = []
    filtered: list[bool] = []
    for number, matcher in enumerate(matchers):
        for trigger in matcher.triggers:
            owners = words.setdefault(trigger, ([], []))[0]
            if number not in owners:
                owners.append(number)
        starts = _pattern_starts(matcher.regex)
        filtered.append(starts is not None)
        strings, class_regex = starts or ((), None)
        classes.append(class_regex)
        for string in strings:
            words.setdefault(string, ([], []))[1].append(number)
    automaton = ahocorasick.Automaton()
    for word, (triggered, started) in words.items():
        automaton.add_word(word, (len(word) - 1, tuple(triggered), tuple(started)))
    automaton.make_automaton()
    return _LangIndex(matchers, automaton, tuple(classes), tuple(filtered))


def _hits(folded: str, index: _LangIndex) -> tuple[dict[int, list[int]], list[list[int]]]:
    """Start positions of the triggers of each triggered matcher (by number), and per matcher
    the positions where a match may start. Both come out in order of the word's END, so
    callers sort them."""
    triggers: dict[int, list[int]] = {}
    starts: list[list[int]] = [[] for _ in index.matchers]
    for end, (span, triggered, started) in index.automaton.iter(folded):
        begin = end - span
        for number in triggered:
            positions = triggers.get(number)
            if positions is None:
                triggers[number] = [begin]
            else:
                positions.append(begin)
        for number in started:
            starts[number].append(begin)
    return triggers, starts


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


def _matches_at(
    regex: re.Pattern[str], folded: str, windows: list[tuple[int, int]], starts: list[int]
) -> Iterator[re.Match[str]]:
    """What ``regex.finditer(folded, ws, we)`` yields for each window, trying the regex only at
    the sorted candidate starts: a match cannot begin anywhere else, and searching from a
    position is the same as trying each later position in turn."""
    count = len(starts)
    i = 0
    for win_start, win_end in windows:
        i = bisect_left(starts, win_start, i)
        cursor = win_start
        while i < count and starts[i] < win_end:
            pos = starts[i]
            i += 1
            if pos >= cursor:
                m = regex.match(folded, pos, win_end)
                if m is not None:
                    yield m
                    cursor = m.end()


def _candidates(
    folded: str, windows: list[tuple[int, int]], literal: list[int], classes: re.Pattern[str] | None
) -> list[int]:
    """Sorted positions where a match may start: literal starts found by the automaton, and
    characters of the wide classes inside the windows."""
    if classes is not None:
        literal = literal + [m.start() for ws, we in windows for m in classes.finditer(folded, ws, we)]
    return sorted(set(literal))


def _scan(folded: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """(tag, against, start, end) in folded coordinates, sorted by start."""
    index = _index(lang)
    found: list[tuple[str, bool, int, int]] = []
    triggers, starts = _hits(folded, index)
    for number in sorted(triggers):
        matcher, positions = index.matchers[number], triggers[number]
        filtered, classes = index.filtered[number], index.classes[number]
        if filtered and not starts[number] and classes is None:
            continue  # triggered, but no pattern of the tag can start anywhere in the text
        positions.sort()
        windows = _trigger_windows(folded, positions)
        if filtered:
            candidates = _candidates(folded, windows, starts[number], classes)
            matches: Iterable[re.Match[str]] = _matches_at(matcher.regex, folded, windows, candidates)
        else:
            matches = (m for ws, we in windows for m in matcher.regex.finditer(folded, ws, we))
        for m in matches:
            if m.end() > m.start():
                found.append((matcher.tag, m.lastgroup == "against", m.start(), m.end()))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


def _read(
    folded: str, lang: str, scan: Callable[[str, str], list[tuple[str, bool, int, int]]] | None = None
) -> list[tuple[str, bool, int, int]]:
    """Every stage on the folded text: the tags' patterns (``scan``, the triggered scan by
    default), short hours read from the schedule's figures where no pattern already said it,
    negation scope, then boilerplate demotion; sorted by start."""
    found = (scan or _scan)(folded, lang)
    said = [(start, end) for tag, _, start, end in found if tag == "short_hours"]
    found += [f for f in schedule_spans(folded) if not any(f[2] < end and start < f[3] for start, end in said)]
    found = negate_in_scope(found, folded, lang, _NEGATION_SCOPED)
    found.sort(key=lambda f: (f[2], f[3]))
    return demote(found, folded)


def _spans(text: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """(tag, against, start, end) in the ORIGINAL text, in reading order."""
    if has_mojibake(text):  # repairing it changes the length: fold with the offset map at once
        folded, fold_map = fold_with_offsets(text, lower=True)
        return _mapped(_read(folded, lang), fold_map)
    folded = _folded(text)
    found = _read(folded, lang)
    if not found:
        return found
    # Where folding kept the length, folded[i] nearly always comes from text[i]: each span is
    # checked, and the offset map is built only when folding changed the length or a span
    # does not fold back to what was matched.
    if len(folded) == len(text) and all(_folds_to(text[s:e], folded[s:e]) for _, _, s, e in found):
        return found
    return _mapped(found, fold_with_offsets(text, lower=True)[1])


def _folds_to(original: str, folded: str) -> bool:
    """Whether ``original`` folds to ``folded``; most spans are text folding leaves alone."""
    return original.lower() == folded or _folded(original) == folded


def _mapped(found: list[tuple[str, bool, int, int]], fold_map: FoldMap) -> list[tuple[str, bool, int, int]]:
    spans = fold_map.spans([(start, end) for _, _, start, end in found])
    return [(tag, against, *span) for (tag, against, _, _), span in zip(found, spans, strict=True)]


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
from pipeline.signals.structured import tag_structured  # noqa: E402

__all__ = [
    "ALL_TAGS",
    "CONSTRAINT_TAGS",
    "POLICY_TAGS",
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
