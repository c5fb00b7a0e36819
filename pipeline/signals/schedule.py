"""Short hours read from numbers: a schedule that leaves the week short raises ``short_hours``,
one that fills it speaks against it.

Listings often say how long the work is without any word for "short": 10時〜14時・週3日, 各4時間,
"two 5-hour shifts a week", "9am to 1pm", "12 hours weekly", "0.5 FTE". This module reads those
figures in the folded, lower-cased text the tagger scans and returns spans in the tagger's shape
``(tag, against, start, end)``, so each one carries the listing's own words as evidence:

- a working day of at most ``SHORT_DAY`` hours (a shift between two clock times in a working-hours
  context, "1日3時間", "three hours a day", "5-hour shifts");
- a week of at most ``SHORT_WEEK`` hours, or a part-time fraction of a full-time post (FTE);
- against: a week of at least ``FULL_WEEK`` hours with no shorter option in the same clause
  ("Full-time only (37.5 hours a week)", 1日8時間・週5日勤務).

Clock ranges count only beside a word saying they are working hours (勤務時間, シフト, "hours",
のお仕事 after them), never a break (休憩, lunch) or opening hours of an office or a desk.
"""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from pipeline.fields.hours import parse_hours_per_week
from pipeline.signals.clauses import clause_end, clause_start

TAG = "short_hours"
SHORT_DAY = 5.0  # a day of this many hours or fewer is short
SHORT_WEEK = 30.0  # under 30 hours a week counts as short (docs/signals.md)
FULL_WEEK = 35.0  # a week of this many hours or more is full time
PART_FTE = 0.8  # a post below this fraction of full time is part time

Span = tuple[str, bool, int, int]

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_AMOUNT = r"(?P<n>\d{1,2}(?:\.\d+)?|one|two|three|four|five|six|seven|eight)"
_CLOCK = r"(\d{1,2})(?::([0-5]\d)|時(?:([0-5]?\d)分|(半))?)?\s*(a\.?m\.?|p\.?m\.?)?"
_SHIFT = re.compile(r"(?<![\d.])(?<!\d:)" + _CLOCK + r"\s*(?:~|-|to|から|－)\s*" + _CLOCK + r"(?![\d:])")
# Words within the same clause before a clock range that make it working hours.
_WORK_BEFORE = re.compile(
    r"(?:勤務時間|就業時間|勤務|時間帯|シフト|就労時間|働く時間|hours|shifts?|schedule|working|work)[^。\n.;]{0,24}$"
)
_WORK_AFTER = re.compile(r"^[^。\n.]{0,10}?(?:のお仕事|の勤務|勤務|only|のみ|だけ|まで)")
_NOT_WORK_BEFORE = re.compile(
    r"(?:休憩|昼休み|break|lunch|受付|営業|窓口|office hours|desk|面接|説明会|残業|overtime|研修|training)"
    r"[^。\n]{0,12}$"
)
_DAILY = re.compile(
    rf"(?:(?:1日|一日|各)\s*(?P<ja>\d{{1,2}}(?:\.\d+)?)\s*(?:時間|h\b))"
    rf"|(?:(?<![\d.週月年])(?P<only>\d{{1,2}}(?:\.\d+)?)\s*時間(?:だけ|のみ))"
    rf"|(?:{_AMOUNT}[- ]?(?:hours?|hrs?)\s*(?:a|per|each)\s*(?:day|shift|session|morning|evening))"
    rf"|(?:{_AMOUNT.replace('?P<n>', '?P<shift>')}[- ]hour (?:shifts?|days?|sessions?))"
    rf"|(?:shifts? (?:are|of|is|last) {_AMOUNT.replace('?P<n>', '?P<long>')} hours?)"
)
_WEEKLY = re.compile(
    rf"(?<![\d.])(?:(?P<low>\d{{1,2}}(?:\.\d+)?)\s*(?:-|to|~|and|or)\s*)?{_AMOUNT}\s*(?:hours?|hrs?)\s*"
    r"(?:a |per |each |/\s*)?(?:week|wk)\b|(?:(?P<low2>\d{1,2})\s*(?:-|to|~|and|or)\s*)?(?P<n2>\d{1,2}(?:\.\d+)?)\s*"
    r"(?:hours?|hrs?)\s*weekly"
)
_FTE = re.compile(r"(?<![\d.])(0?\.\d+|0,\d+)\s*fte\b")
# What ends a clause: sentence ends, line breaks and (for English) semicolons.
_CLAUSE_ENDS = ("。", "！", "？", "!", "?", "\n", ";")
_CLAUSE_REACH = 100
_EVIDENCE_AROUND = 30
_DAYS = re.compile(r"週\s*\d(?:\.\d)?\s*日|\d\s*days? (?:a|per) week")
# Where a figure of time may be (an hour word, 時, a clock time, am/pm after a digit, FTE, a
# week, a shift): literals found in one Aho-Corasick pass, like the tagger's triggers.
_ANCHORS = (
    "hour", "hrs", "時", "fte", "week", "shift",
    *(f":{d}" for d in range(6)),
    *(f"{d}{gap}{m}" for d in range(10) for gap in ("", " ") for m in ("am", "pm", "a.m", "p.m")),
)


@cache
def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _ANCHORS:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _number(text: str) -> float:
    return float(_NUMBER_WORDS.get(text, text) if text in _NUMBER_WORDS else text)


def _clock(hour: str, minutes: str | None, minutes_ja: str | None, half: str | None, meridiem: str | None) -> float:
    value = float(hour) + (float(minutes or minutes_ja or 0) / 60.0) + (0.5 if half else 0.0)
    if meridiem and meridiem.startswith("p") and value < 12:
        value += 12.0
    return value


def _shift_length(match: re.Match[str]) -> float | None:
    """Hours between the two clock times, or None when they are not clock times."""
    h1, m1, mj1, half1, mer1, h2, m2, mj2, half2, mer2 = match.groups()
    if not any((m1, mj1, half1, mer1, m2, mj2, half2, mer2)) and "時" not in match.group():
        return None  # "10-12" is a range of numbers, not of clock times
    if mer2 and not mer1 and mer2.startswith("p") and float(h1) < float(h2) < 12:
        mer1 = mer2  # "1 to 5pm"
    start, end = _clock(h1, m1, mj1, half1, mer1), _clock(h2, m2, mj2, half2, mer2)
    if start > 24 or end > 24:
        return None
    length = end - start if end > start else end + 24.0 - start
    return length if 0 < length <= 24 else None


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: from the previous sentence end or line break to the
    next, at most _CLAUSE_REACH characters either side."""
    return (clause_start(text, start, _CLAUSE_ENDS, _CLAUSE_REACH),
            clause_end(text, end, _CLAUSE_ENDS, _CLAUSE_REACH))


def _shift_spans(text: str, lo: int, hi: int) -> list[Span]:
    found: list[Span] = []
    for match in _SHIFT.finditer(text, lo, hi):
        clause_start, clause_end = _clause_bounds(text, match.start(), match.end())
        before, after = text[clause_start: match.start()], text[match.end(): clause_end]
        if _NOT_WORK_BEFORE.search(before[-16:]):
            continue
        context = _WORK_BEFORE.search(before)
        if context is None and not _WORK_AFTER.match(after):
            continue
        length = _shift_length(match)
        if length is not None and length <= SHORT_DAY:
            start = clause_start + context.start() if context is not None else match.start()
            found.append((TAG, False, start, match.end()))
    return found


def _daily_spans(text: str, lo: int, hi: int) -> list[Span]:
    found: list[Span] = []
    for match in _DAILY.finditer(text, lo, hi):
        amount = next(v for v in (match.group("ja"), match.group("only"), match.group("n"), match.group("shift"),
                                   match.group("long")) if v)
        if 0 < _number(amount) <= SHORT_DAY and not _NOT_WORK_BEFORE.search(text[max(0, match.start() - 16):
                                                                                   match.start()]):
            found.append((TAG, False, match.start(), match.end()))
    return found


def _weekly_spans(text: str, lo: int, hi: int) -> list[Span]:
    found: list[Span] = []
    for match in _WEEKLY.finditer(text, lo, hi):
        high = _number(match.group("n") or match.group("n2"))
        low_text = match.group("low") or match.group("low2")
        low = float(low_text) if low_text else high
        if 0 < low <= SHORT_WEEK:
            found.append((TAG, False, match.start(), match.end()))
        elif low >= FULL_WEEK:
            found.append((TAG, True, match.start(), match.end()))
    return found


def _fte_spans(text: str, lo: int, hi: int) -> list[Span]:
    return [(TAG, False, m.start(), m.end()) for m in _FTE.finditer(text, lo, hi)
            if 0 < float(m.group(1).replace(",", ".")) < PART_FTE]


def _full_week_spans(text: str, lo: int, hi: int) -> list[Span]:
    """A day times days that fills the week (1日8時間・週5日) speaks against short hours: read
    in each clause that states days a week; the evidence is the days and the hours beside them."""
    found: list[Span] = []
    for match in _DAYS.finditer(text, lo, hi):
        clause_start, clause_end = _clause_bounds(text, match.start(), match.end())
        hours = parse_hours_per_week(text[clause_start:clause_end])
        if hours is None or (hours.get("min") or 0) < FULL_WEEK or (hours.get("max") or FULL_WEEK) < FULL_WEEK:
            continue
        start = max(clause_start, match.start() - _EVIDENCE_AROUND)
        end = min(clause_end, match.end() + _EVIDENCE_AROUND)
        while start < match.start() and not text[start - 1].isspace() and start > clause_start:
            start += 1  # begin at a word or clause start, not inside a figure
        piece = text[start:end].strip()
        start = text.index(piece, start) if piece else start
        found.append((TAG, True, start, start + len(piece)))
    return found


def _clauses_with_figures(folded: str) -> list[tuple[int, int]]:
    """The clauses that hold a figure of time (an hour word, a clock time, FTE), merged in order:
    the only places the readers need to look, so long descriptions cost little."""
    clauses: list[tuple[int, int]] = []
    for end, length in _anchor_automaton().iter(folded):
        start = end + 1 - length
        if clauses and start < clauses[-1][1]:
            continue
        clauses.append(_clause_bounds(folded, start, end + 1))
    return clauses


def schedule_spans(folded: str) -> list[Span]:
    """short_hours spans read from the figures of the folded, lower-cased text."""
    found: list[Span] = []
    for lo, hi in _clauses_with_figures(folded):
        raised = (_shift_spans(folded, lo, hi) + _daily_spans(folded, lo, hi) + _weekly_spans(folded, lo, hi)
                  + _fte_spans(folded, lo, hi))
        if not any(not against for _, against, _, _ in raised):
            raised += _full_week_spans(folded, lo, hi)
        found.extend(raised)
    return found
