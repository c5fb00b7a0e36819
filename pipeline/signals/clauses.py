"""Where the clause around a position starts and ends: the nearest of a set of end marks
(sentence ends, line breaks, commas, ...) within a reach, for the readers that look at a
phrase's own clause (pipeline.signals.negation, pipeline.signals.schedule)."""

from __future__ import annotations

from collections.abc import Iterable


def clause_end(text: str, start: int, ends: Iterable[str], reach: int) -> int:
    """The first end mark at or after ``start``, else ``start + reach`` (or the text's end)."""
    stop = min(len(text), start + reach)
    found = [i for i in (text.find(mark, start, stop) for mark in ends) if i >= 0]
    return min(found) if found else stop


def clause_start(text: str, end: int, ends: Iterable[str], reach: int) -> int:
    """Just after the last end mark before ``end``, else ``end - reach`` (or the text's start)."""
    low = max(0, end - reach)
    return max([text.rfind(mark, low, end) + 1 for mark in ends] + [low])
