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
from pipeline.text.normalize import FIELD_LITERALS, finditer_at

try:  # Python's own regex parser (3.11+ names), to read the literal text a pattern starts with
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - then the marker is searched at every position
    sre = sre_parse = None  # type: ignore[assignment]

__all__ = ["boilerplate_ranges", "demote"]


def _patterns() -> list[str]:
    table = vocabulary().get("boilerplate", {})
    patterns = [*table.get("en", []), *table.get("ja", [])]
    if not patterns:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: the [boilerplate] table has no en or ja patterns")
    return patterns


@cache
def _marker() -> re.Pattern[str]:
    try:
        return re.compile("|".join(f"(?:{p})" for p in _patterns()))
    except re.error as exc:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: a [boilerplate] pattern does not compile: {exc}") from exc


def _literal_prefix(pattern: str) -> str:
    """The literal text every match of ``pattern`` starts with (after a leading ``\\b``);
    "" when it starts otherwise (a group, a class, a repeat) or cannot be read."""
    if sre_parse is None:
        return ""
    try:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_LOCALE):
            return ""
        prefix: list[str] = []
        for op, av in parsed.data:
            if op is sre.AT and not prefix:
                continue  # zero width: the match still starts at the literal
            if op is not sre.LITERAL:
                break
            prefix.append(chr(av))
    except (AttributeError, TypeError, ValueError, IndexError, KeyError, re.error):
        return ""
    return "".join(prefix)


@cache
def _prefix_group() -> int | None:
    """The group, in the readers' one literal pass, of the texts the template phrases start
    with; None when some phrase starts with no literal text (then the marker scans every
    position)."""
    prefixes = [_literal_prefix(pattern) for pattern in _patterns()]
    if not all(prefixes):
        return None
    return FIELD_LITERALS.add(prefixes)


def boilerplate_ranges(folded: str) -> list[tuple[int, int]]:
    """(start, end) of every line of the folded, lower-cased text that holds a template phrase."""
    ranges: list[tuple[int, int]] = []
    marker = _marker()
    group = _prefix_group()
    # The phrases are matched as written (case-sensitive) and each starts with its literal
    # prefix, so trying the marker only where a prefix occurs finds the same matches.
    if group is None:
        matches = marker.finditer(folded)
    else:
        matches = finditer_at(marker, folded, FIELD_LITERALS.positions(folded)[group])
    for match in matches:
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
