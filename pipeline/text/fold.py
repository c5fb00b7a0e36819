"""Folding text so patterns only have to know one spelling of each character.

Japanese listings mix full-width digits (２５万円), full-width punctuation (～, ：, （）) and
several look-alike wave dashes and hyphens; English listings use en/em dashes and non-breaking
spaces; some feeds send UTF-8 decoded as Latin-1. :func:`fold` repairs that mojibake, applies
Unicode NFKC and makes every dash ``-``, every wave dash ``~`` and every odd space ASCII. Field
parsers and the signal tagger all fold with it.

:func:`fold_with_offsets` gives exactly the same text (optionally lower-cased) and a map back
into the input (pipeline/text/offsets.py), so a span found in folded text can be cut out of the
original (evidence for a signal, for example).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.text.mojibake import repair_mojibake, repair_mojibake_with_offsets
from pipeline.text.offsets import Change, FoldMap, PiecewiseMap

__all__ = ["fold", "fold_key", "fold_with_offsets"]

# Characters NFKC leaves alone but which mean the same thing as an ASCII one in listing text.
# The katakana long vowel mark (ー) is deliberately absent: it is a letter, not a dash.
_EXTRA_MAP = {
    "〜": "~",  # U+301C WAVE DASH (NFKC maps the full-width tilde U+FF5E, not this one)
    "～": "~",
    "∼": "~",
    "‐": "-",  # hyphen
    "‑": "-",  # non-breaking hyphen
    "‒": "-",  # figure dash
    "–": "-",  # en dash
    "—": "-",  # em dash
    "―": "-",  # horizontal bar
    "−": "-",  # minus sign
    "﹣": "-",
    "\u3000": " ",
    "\u00a0": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",
}
# After NFKC only the characters of _EXTRA_MAP that NFKC leaves alone can remain (NFKC output is
# NFKC-stable); testing each with str.__contains__ is ~40x cheaper than one regex scan for the
# whole class, and replacing the few present gives what one substitution pass would.
_EXTRA_STABLE = tuple(char for char in _EXTRA_MAP if unicodedata.normalize("NFKC", char) == char)
_EXTRA_SEARCH = re.compile("[" + "".join(re.escape(char) for char in _EXTRA_STABLE) + "]").search
_SHORT = 64
_EXTRA_VANISHING = tuple(char for char in _EXTRA_STABLE if not _EXTRA_MAP[char])


def fold(text: str) -> str:
    """Return ``text`` repaired, NFKC-normalized, with dashes, tildes and odd spaces made ASCII.

    UTF-8 mis-decoded as Latin-1 is repaired first (:func:`repair_mojibake`); then full-width
    digits and Latin letters become ASCII, half-width katakana becomes full-width, every wave
    dash becomes ``~`` and every dash-like character (not ``ー``) becomes ``-``. The result may
    be shorter or longer than the input (zero-width characters vanish, voiced half-width kana
    combine, ㈱ becomes (株)); use :func:`fold_with_offsets` when offsets matter. Non-string
    input gives ``""``.
    """
    if not isinstance(text, str):
        return ""
    if text.isascii():
        return text  # nothing to fold, and the common case for English fields
    if len(text) > _FOLD_CACHE_MIN:
        return _fold_long(text)
    return _fold(text)


def fold_key(text: str | None) -> str:
    """``fold(text)`` case-folded and stripped: the form two names are compared in (a place,
    an employer, a title), so "Ｔｏｋｙｏ " and "tokyo" are one key. None gives ``""``."""
    return fold(text).casefold().strip() if text else ""


# A description is folded by several field parsers in turn (hours, employment type, remote)
# and by the tagger: the last few long texts are remembered so it is folded once per listing.
# Short strings are cheap to fold and would only churn the cache.
_FOLD_CACHE_MIN = 200


@lru_cache(maxsize=8)
def _fold_long(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    return _replace_extra(_nfkc(repair_mojibake(text)))


def _replace_extra(text: str) -> str:
    if len(text) <= _SHORT and _EXTRA_SEARCH(text) is None:
        return text  # one regex scan beats ten substring tests on a short text
    for char in _EXTRA_STABLE:
        if char in text:
            text = text.replace(char, _EXTRA_MAP[char])
    return text


# --- NFKC on the parts that need it ---------------------------------------------------------------

# Highest code point whose canonical decomposition is searched for characters that compose with
# the one before them: every such pair in Unicode lies below it (the planes above hold only
# ideographs and private use; tests/pipeline/text/test_fold.py checks the whole range).
_COMPOSITES_BELOW = 0x20000
# Conjoining jamo that join a preceding Hangul syllable or leading jamo (Unicode 3.12).
_HANGUL_V_FIRST, _HANGUL_V_LAST = 0x1161, 0x1175
_HANGUL_T_FIRST, _HANGUL_T_LAST = 0x11A8, 0x11C2


@lru_cache(maxsize=1)
def _composing_seconds() -> frozenset[int]:
    """Code points that are the second half of a canonical pair (they may merge with the
    character before them under NFC/NFKC, e.g. U+3099 after か). Hangul vowel and final jamo
    compose by rule rather than by table, so they are added by their fixed ranges."""
    seconds = set(range(_HANGUL_V_FIRST, _HANGUL_V_LAST + 1)) | set(range(_HANGUL_T_FIRST, _HANGUL_T_LAST + 1))
    for code in range(0x80, _COMPOSITES_BELOW):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return frozenset(seconds)


def _nfkc_stable(char: str, seconds: frozenset[int]) -> bool:
    """True when NFKC leaves char alone and never joins it to, or reorders it with, the text
    before it: a string can be cut before such a character and normalized piece by piece."""
    if unicodedata.combining(char) or ord(char) in seconds or unicodedata.normalize("NFKC", char) != char:
        return False
    first = unicodedata.normalize("NFKD", char)[0]
    return not unicodedata.combining(first) and ord(first) not in seconds


@lru_cache(maxsize=1)
def _nfkc_unstable() -> re.Pattern[str]:
    """Runs of characters NFKC may change (all non-BMP ones included). Built once, on first
    need, from the Unicode tables of this Python."""
    seconds = _composing_seconds()
    ranges: list[list[int]] = []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or not _nfkc_stable(chr(code), seconds):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    unstable = f"[{body}\\U00010000-\\U0010ffff]"
    # Spelled "xx*", not "x+": a pattern that opens with a class lets the engine skip ahead
    # through stable text in C instead of trying a match at every character.
    return re.compile(unstable + unstable + "*")


_is_normalized = unicodedata.is_normalized
# The characters that most often fail the quick check: full-width punctuation in Japanese
# text, no-break spaces in English.
_COMMON_UNSTABLE = tuple((char, unicodedata.normalize("NFKC", char)) for char in "：（）～\u00a0！＞＜／\u3000")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, computed on the runs of unstable characters only.

    Most listing text passes the quick check (a few nanoseconds a character), while NFKC itself
    costs ~50 ns a character. Otherwise the common full-width characters, then each run of
    unstable characters, are replaced by their NFKC form (a string and its NFKC form are
    compatibility equivalent, so this never changes the text's NFKC form). What is still not
    normalized then (a combining mark that joins the character before its run) is redone with
    that character: cutting before a stable character does not change the result.
    """
    if _is_normalized("NFKC", text):
        return text
    for char, folded in _COMMON_UNSTABLE:
        if char in text:
            text = text.replace(char, folded)
    if _is_normalized("NFKC", text):
        return text
    unstable = _nfkc_unstable()
    text = unstable.sub(_normalize_match, text)
    if _is_normalized("NFKC", text):
        return text
    parts: list[str] = []
    last = 0
    for match in unstable.finditer(text):
        begin = max(match.start() - 1, last)
        parts.append(text[last:begin])
        parts.append(unicodedata.normalize("NFKC", text[begin : match.end()]))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def _normalize_match(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


# --- folding with offsets -------------------------------------------------------------------------


def fold_with_offsets(text: str, lower: bool = False) -> tuple[str, FoldMap]:
    """``fold(text)`` (lower-cased when asked) and a map back into ``text``.

    ``FoldMap.spans`` turns spans of the folded text into the spans of ``text`` they came from;
    ``FoldMap.offsets()`` lists where every folded character came from. Non-string input
    gives ``""`` and an empty map.
    """
    if not isinstance(text, str):
        return "", FoldMap(0, 0, ())
    repaired, repair_map = repair_mojibake_with_offsets(text)
    folded, nfkc_map = _nfkc_with_offsets(repaired)
    folded, extra_map = _extra_with_offsets(folded)
    lower_map = None
    if lower:
        folded, lower_map = _lower_with_offsets(folded)
    stages = [stage for stage in (lower_map, extra_map, nfkc_map, repair_map) if stage is not None]
    return folded, FoldMap(len(text), len(folded), stages)


def _nfkc_with_offsets(text: str) -> tuple[str, PiecewiseMap | None]:
    """``_nfkc(text)`` and its map back into ``text`` (None: copied one for one)."""
    if _is_normalized("NFKC", text):
        return text, None
    for char, folded in _COMMON_UNSTABLE:  # each of these folds to one character
        if char in text:
            text = text.replace(char, folded)
    if _is_normalized("NFKC", text):
        return text, None
    parts: list[str] = []
    changes: list[Change] = []
    last = written = 0
    for match in _nfkc_unstable().finditer(text):
        begin = max(match.start() - 1, last)
        parts.append(text[last:begin])
        written += begin - last
        folded, local = _nfkc_chunk(text[begin : match.end()])
        parts.append(folded)
        if local is not None:
            changes.append(Change(begin, match.end(), written, local))
        written += len(folded)
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), PiecewiseMap(changes) if changes else None


def _nfkc_chunk(chunk: str) -> tuple[str, tuple[int, ...] | None]:
    """NFKC of a short chunk and, unless each character folded to one character of its own
    (None), the chunk index of each output character: character by character, a combining
    mark composed with the character before it as whole-chunk NFKC does (ｶﾞ -> ガ). Should the
    two still differ (marks that reorder), every output character points at the chunk's start."""
    whole = unicodedata.normalize("NFKC", chunk)
    pieces = [_char_nfkc(char) for char in chunk]
    if len(whole) == len(chunk) and all(len(piece) == 1 for piece in pieces) and "".join(pieces) == whole:
        return whole, None
    out: list[str] = []
    local: list[int] = []
    for index, piece in enumerate(pieces):
        for produced in piece:
            if out and unicodedata.combining(produced):
                composed = unicodedata.normalize("NFC", out[-1] + produced)
                if len(composed) == 1:
                    out[-1] = composed
                    continue
            out.append(produced)
            local.append(index)
    if "".join(out) != whole:
        return whole, (0,) * len(whole)
    return whole, tuple(local)


@lru_cache(maxsize=4096)
def _char_nfkc(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


def _extra_with_offsets(text: str) -> tuple[str, PiecewiseMap | None]:
    """:func:`_replace_extra` and, when characters vanished, its map back into ``text``."""
    vanished = sorted(i for char in _EXTRA_VANISHING if char in text for i in _positions(text, char))
    if not vanished:
        return _replace_extra(text), None
    changes = [Change(position, position + 1, position - count, ()) for count, position in enumerate(vanished)]
    return _replace_extra(text), PiecewiseMap(changes)


def _positions(text: str, char: str) -> list[int]:
    found = []
    position = text.find(char)
    while position != -1:
        found.append(position)
        position = text.find(char, position + 1)
    return found


def _lower_with_offsets(text: str) -> tuple[str, PiecewiseMap | None]:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered, None
    # A few letters lower-case to two characters (İ -> i + U+0307): both point at the letter.
    changes: list[Change] = []
    written = 0
    for index, char in enumerate(text):
        width = len(char.lower())
        if width != 1:
            changes.append(Change(index, index + 1, written, (0,) * width))
        written += width
    return lowered, PiecewiseMap(changes)
