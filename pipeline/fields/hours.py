"""Hours per week from working-hours text, Japanese and English.

People coming back to work often cannot do 40 hours; the ranker filters on this number, so it
is read only where the text states it:

1. a weekly figure: 週20時間, 週20～30時間, 週44時間制, "20 hours per week", "20-30 hrs/week";
2. hours per day times days per week: 1日4時間×週3日, 1日4時間～ 週3日～, "4 hours a day, 3 days a week";
3. shift times with days per week: 9:00～13:00 and 週3日 (breaks written as 休憩60分 / "1 hour
   break" right after a shift are taken off; an overnight shift wraps past midnight).

A one-sided statement gives a one-sided range (週20時間以上 -> min 20, 週20時間以内 -> max 20).
Without a weekly figure or a days-per-week figure the answer is None: a day length alone does
not say how many days are worked.
"""

from __future__ import annotations

import re

from pipeline.canonical import HoursPerWeek
from pipeline.text.normalize import fold

__all__ = ["parse_hours_per_week"]

_NUM = r"(\d{1,2}(?:\.\d+)?)"
_RANGE = r"\s*(?:~|-|to|から)\s*"
_MAX_HOURS = 100.0
_MAX_TEXT = 20_000

_WEEKLY_JA = re.compile(
    r"週\s*(?:平均\s*)?" + _NUM + r"(?:\s*時間)?(?:" + _RANGE + _NUM + r")?\s*時間"
    r"(?P<tail>制|以上|以下|以内|まで|程度|~)?"
)
_WEEKLY_EN = re.compile(
    r"(?P<pre>up to|max(?:imum)?(?: of)?|at least|min(?:imum)?(?: of)?|about|around|"
    r"approx(?:imately)?\.?)?\s*"
    + _NUM
    + r"(?:\+)?(?:"
    + _RANGE
    + _NUM
    + r")?\+?\s*(?:hours?|hrs?|h)\b\s*(?:/|per|a|each)\s*(?:week|wk)\b",
    re.IGNORECASE,
)
_DAILY_JA = re.compile(
    r"(?:1\s*日|一日)\s*(?:実働\s*)?" + _NUM + r"(?:" + _RANGE + _NUM + r")?\s*時間"
    r"(?P<tail>以上|以下|以内|まで|程度|~)?"
)
_DAILY_EN = re.compile(
    _NUM + r"(?:" + _RANGE + _NUM + r")?\s*(?:hours?|hrs?)\s*(?:/|per|a|each)\s*day\b", re.IGNORECASE
)
_DAYS_JA = re.compile(
    r"週\s*" + _NUM + r"(?:" + _RANGE + _NUM + r")?\s*日(?P<tail>以上|以下|以内|まで|程度|~|から)?"
)
_DAYS_EN = re.compile(
    _NUM + r"(?:" + _RANGE + _NUM + r")?\s*days?\s*(?:/|per|a|each)\s*week\b", re.IGNORECASE
)
_SHIFT = re.compile(
    r"(?<![\d:])(\d{1,2})\s*(?::|時)\s*(\d{2})?\s*分?\s*(?:~|-|から)\s*(\d{1,2})\s*(?::|時)\s*(\d{2})?\s*分?"
)
_BREAK = re.compile(
    r"^[^\n\d]{0,6}(?:休憩|break)[^\d\n]{0,4}(\d{1,3})\s*(分|min|時間|hours?|h)", re.IGNORECASE
)
_HOURS_WORD_AFTER = re.compile(r"^\s*(?:hours?|hrs?|時間)")

# The English patterns are case-insensitive and may start anywhere, so a search over a whole
# description tries them at every character. Each one ends with a word ("week", "wk", "day"):
# they are tried only near the places that word occurs, found with bytes.find on the text
# lower-cased as ASCII (non-ASCII characters become "?", so offsets stay those of the text). A
# match is a short phrase; _NEAR_BEFORE characters before the word hold any of them.
_NEAR_BEFORE = 120
_WEEK_WORDS = (b"week", b"wk")
_DAY_WORDS = (b"day",)
# What must come right before the word for each pattern to end there ("hours per | week"); a
# window without it is not searched. Run on the lower-cased window, anchored at the word.
_SEP = r"\s*(?:/|per|a|each)\s*\Z"
_WEEKLY_EN_TAIL = re.compile(r"(?:hours?|hrs?|h)" + _SEP)
_DAYS_EN_TAIL = re.compile(r"days?" + _SEP)
_DAILY_EN_TAIL = re.compile(r"(?:hours?|hrs?)" + _SEP)


def _ascii_lower(folded: str) -> bytes | None:
    """``folded.lower()`` for finding ASCII words, as bytes of the same length; None when the
    lower case would be longer (the one such letter, "İ"): then the whole text is searched.

    Only ASCII letters lower-case to ASCII letters in folded text (the Kelvin sign, the other
    one, is folded to "K"), so the words are found at the same offsets as in ``folded.lower()``,
    at a fraction of its cost on Japanese text.
    """
    if "\u0130" in folded:
        return None
    return folded.encode("ascii", "replace").lower()


def _search_near(
    pattern: re.Pattern[str], text: str, lower: bytes | None, words: tuple[bytes, ...], tail: re.Pattern[str]
) -> re.Match[str] | None:
    """pattern.search(text) for a pattern whose every match ends with one of ``words``.

    ``lower`` is :func:`_ascii_lower` of text (None: search the whole text). Matches end at a
    word, so the windows ending just after each occurrence, tried in order, give the leftmost
    match; the window keeps one character after the word so a trailing ``\b`` sees what
    follows. The first window holding a match holds one that ends at its own word (a match
    ending at an earlier word would lie in an earlier window), so a window whose text before
    the word cannot end such a match (``tail``) is skipped.
    """
    if lower is None:
        return pattern.search(text)
    starts: list[tuple[int, int]] = []
    for word in words:
        pos = lower.find(word)
        while pos != -1:
            starts.append((pos, pos + len(word)))
            pos = lower.find(word, pos + 1)
    if not starts:
        return None
    starts.sort()
    size = len(text)
    for start, end in starts:
        window_start = max(0, end - _NEAR_BEFORE)
        before = text[window_start:start].lower()
        if len(before) == start - window_start and not tail.search(before):
            continue
        match = pattern.search(text, window_start, min(size, end + 1))
        if match:
            return match
    return None


def _bounds(
    low: str, high: str | None, tail: str | None, pre: str | None = None
) -> tuple[float | None, float | None]:
    a = float(low)
    b = float(high) if high else None
    if b is not None:
        return (min(a, b), max(a, b))
    tail = (tail or "").lower()
    pre = (pre or "").lower()
    if tail in ("以上", "~", "から") or pre.startswith(("at least", "min")):
        return (a, None)
    if tail in ("以下", "以内", "まで") or pre.startswith(("up to", "max")):
        return (None, a)
    return (a, a)


def _valid(result: tuple[float | None, float | None]) -> HoursPerWeek | None:
    low, high = result
    for value in (low, high):
        if value is not None and not (0 < value <= _MAX_HOURS):
            return None
    if low is None and high is None:
        return None
    return HoursPerWeek(min=low, max=high)


def _multiply(
    day: tuple[float | None, float | None], days: tuple[float | None, float | None]
) -> tuple[float | None, float | None]:
    low = day[0] * days[0] if day[0] is not None and days[0] is not None else None
    high = day[1] * days[1] if day[1] is not None and days[1] is not None else None
    return (low, high)


def _shift_lengths(text: str) -> list[float]:
    lengths: list[float] = []
    for match in _SHIFT.finditer(text):
        start_h, start_m, end_h, end_m = match.groups()
        start = int(start_h) + int(start_m or 0) / 60
        end = int(end_h) + int(end_m or 0) / 60
        if start > 24 or end > 24:
            continue
        if _HOURS_WORD_AFTER.match(text[match.end() : match.end() + 6]):
            continue  # "4-6時間" is a duration range, not a clock time
        length = end - start if end > start else end + 24 - start
        brk = _BREAK.match(text[match.end() : match.end() + 20])
        if brk:
            amount = float(brk.group(1))
            length -= amount / 60 if brk.group(2).lower() in ("分", "min") else amount
        if 0 < length <= 16:
            lengths.append(round(length, 2))
    return lengths


def _days(text: str, lower: bytes | None) -> tuple[float | None, float | None] | None:
    match = _DAYS_JA.search(text) if "週" in text else None
    if match and "休" not in text[max(0, match.start() - 1) : match.start() + 1]:
        return _bounds(match.group(1), match.group(2), match.group("tail"))
    match = _search_near(_DAYS_EN, text, lower, _WEEK_WORDS, _DAYS_EN_TAIL)
    if match:
        return _bounds(match.group(1), match.group(2), None)
    return None


def parse_hours_per_week(text: str) -> HoursPerWeek | None:
    """Weekly hours stated (or directly computable) in ``text``; None when not stated.

    Returns ``{"min": .., "max": ..}``; equal ends for a single figure, one end None for
    "以上" / "up to" statements. Non-strings and text without hours give None.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    folded = fold(text[:_MAX_TEXT])
    lower = _ascii_lower(folded)

    match = _WEEKLY_JA.search(folded) if "週" in folded else None
    if match and "休" not in folded[max(0, match.start() - 1) : match.start()]:
        return _valid(_bounds(match.group(1), match.group(2), match.group("tail")))
    match = _search_near(_WEEKLY_EN, folded, lower, _WEEK_WORDS, _WEEKLY_EN_TAIL)
    if match:
        return _valid(_bounds(match.group(2), match.group(3), None, match.group("pre")))

    days = _days(folded, lower)
    if days is None:
        return None
    match = _DAILY_JA.search(folded) if "日" in folded else None
    if match:
        return _valid(_multiply(_bounds(match.group(1), match.group(2), match.group("tail")), days))
    match = _search_near(_DAILY_EN, folded, lower, _DAY_WORDS, _DAILY_EN_TAIL)
    if match:
        return _valid(_multiply(_bounds(match.group(1), match.group(2), None), days))
    lengths = _shift_lengths(folded) if ":" in folded or "時" in folded else []
    if lengths:
        return _valid(_multiply((min(lengths), max(lengths)), days))
    return None
