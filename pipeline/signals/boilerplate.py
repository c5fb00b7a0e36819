"""Boilerplate paragraphs: the stock equal-opportunity and legal notices of a listing.

"We are an equal opportunity employer ... reasonable accommodation will be provided to qualified
individuals with disabilities" is appended to every listing of an employer, often by the ATS,
and says what the law asks, not what this job offers. A supportive tag whose evidence lies in
such a paragraph is therefore replaced by its policy tag (``accommodations`` ->
``accommodation_policy``, ``fair_chance`` -> ``fair_chance_policy``: the ``stands_for`` lists of
``pipeline/vocab/signals.toml``), which is not a need and weighs nothing.

A paragraph is one line of the listing text (``pipeline.text.normalize.html_to_text`` puts each
block on its own line); it is boilerplate when it holds one of the template phrases of the
vocabulary's ``[boilerplate]`` table (both languages). A sentence offering help with the
application standing on its own line ("If you need an accommodation for the application or hiring
process, please reach out") is not boilerplate and keeps its tag.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.signals.vocabulary import VOCAB_FILE, VocabularyError, policy_of, vocabulary

__all__ = ["boilerplate_ranges", "demote"]


@cache
def _marker() -> re.Pattern[str]:
    table = vocabulary().get("boilerplate", {})
    patterns = [*table.get("en", []), *table.get("ja", [])]
    if not patterns:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: the [boilerplate] table has no en or ja patterns")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: a [boilerplate] pattern does not compile: {exc}") from exc


def boilerplate_ranges(folded: str) -> list[tuple[int, int]]:
    """(start, end) of every line of the folded, lower-cased text that holds a template phrase."""
    ranges: list[tuple[int, int]] = []
    marker = _marker()
    for match in marker.finditer(folded):
        start = folded.rfind("\n", 0, match.start()) + 1
        end = folded.find("\n", match.end())
        end = len(folded) if end < 0 else end
        if not ranges or start > ranges[-1][0]:
            ranges.append((start, end))
    return ranges


def demote(found: list[tuple[str, bool, int, int]], folded: str) -> list[tuple[str, bool, int, int]]:
    """Raised spans (tag, against, start, end) of tags with a policy tag that lie inside a
    boilerplate paragraph become that policy tag; everything else is returned as it was.
    Spans are in the folded text's coordinates."""
    policies = policy_of()
    if not any(tag in policies and not against for tag, against, _, _ in found):
        return found
    ranges = boilerplate_ranges(folded)
    if not ranges:
        return found
    out = []
    for tag, against, start, end in found:
        if not against and tag in policies and any(s <= start and end <= e for s, e in ranges):
            tag = policies[tag]
        out.append((tag, against, start, end))
    return out
