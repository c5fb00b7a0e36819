"""Remote / hybrid / on-site detection from structured ATS fields, then from text.

Structured fields win because they are the employer's own setting: schema.org
``jobLocationType: TELECOMMUTE``, Lever ``workplaceType`` (remote, hybrid, onsite,
unspecified), Ashby ``workplaceType`` (Remote, Hybrid, OnSite) and ``isRemote``, SmartRecruiters
``location.remote`` / ``location.hybrid``, and a RemoteOK job (every RemoteOK listing is remote).

Text is read only when no structured field decides. Japanese "在宅" alone is not remote work
(在宅医療, 在宅介護 are home care), so only 在宅勤務 / 在宅ワーク / 完全在宅 / 在宅可 count.
A negation (リモート不可, 在宅勤務なし, "no remote", "not a remote position") reads as on-site,
and any sign of a split week (一部リモート, 週2日出社, "hybrid", "3 days in the office") wins over
plain remote words, since such a listing is remote only part of the time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from pipeline.text.normalize import fold, literal_starts, search_at_starts

__all__ = ["detect_remote"]

_MAX_TEXT = 30_000
_SEPARATORS = re.compile(r"[_\-]+")
_ONSITE_JOINED = re.compile(r"(?<=[a-z])(?=site)")

_STRUCTURED_WORDS = {
    "telecommute": "remote",
    "remote": "remote",
    "fully remote": "remote",
    "remote only": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "on site": "onsite",
    "in office": "onsite",
    "office": "onsite",
}

_REMOTE_JA = r"(?:フル|完全|全面)?(?:リモート|テレワーク|在宅勤務|在宅ワーク|在宅(?=可|OK|ok|での勤務)|完全在宅)"
_NEGATED = re.compile(
    _REMOTE_JA + r"\s*(?:勤務|ワーク)?\s*(?:は|の)?\s*"
    r"(?:不可|なし|無し|できません|不可能|×|NG|ng|対象外|は行っておりません)"
    r"|\bno[t]?\s+(?:a\s+)?(?:fully\s+)?remote\b(?!\s+first)|\bnon[- ]remote\b"
    r"|\bremote\s+(?:work\s+)?(?:is\s+)?not\s+(?:available|possible|an option|offered)"
    r"|\b(?:on[- ]?site|in[- ]office|in[- ]person)\s+only\b|\b100%\s+on[- ]?site\b"
    r"|\bthis is not a remote\b|\bwork from home is not\b",
    re.IGNORECASE,
)
_HYBRID = re.compile(
    r"一部(?:リモート|在宅|テレワーク)|(?:リモート|在宅|テレワーク)(?:勤務)?(?:と)?(?:併用|混在|ハイブリッド)|ハイブリッド勤務"
    r"|週\s*\d\s*(?:~\s*\d\s*)?日\s*(?:程度\s*)?(?:の\s*)?(?:出社|出勤|リモート|在宅|テレワーク)"
    r"|\bhybrid\b|\bpartially remote\b|\bpartly remote\b|\bremote[- ]friendly\b(?=.{0,40}office)"
    r"|\b\d\s*(?:-\s*\d\s*)?days?\s+(?:a|per|each)\s+week\s+(?:in|at)\s+(?:the|our)?\s*(?:office|site)"
    r"|\b\d\s*(?:-\s*\d\s*)?days?\s+(?:in|at)\s+(?:the|our)\s+office\b|\bsome on[- ]?site time\b",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    _REMOTE_JA + r"|\bfully[- ]remote\b|\b100%\s+remote\b"
    r"|\bremote[- ](?:first|only|position|role|job|work(?:er)?)\b"
    r"|\bwork(?:ing)?\s+(?:from|at)\s+home\b|\bwfh\b|\btelecommut\w*|\bwork from anywhere\b"
    r"|\bremote\b(?!\s*(?:control|sensing|monitor\w*|areas?|locations?|access|patients?|communit\w*|sites?|"
    r"island|region|server|desktop|support\s+tool))",
    re.IGNORECASE,
)
_ONSITE = re.compile(
    r"出社(?:勤務|必須|が必要)|在宅勤務不可|\bon[- ]?site\b(?!\s+time)|\bin[- ]office\b|\boffice[- ]based\b"
    r"|\bin[- ]person\b",
    re.IGNORECASE,
)

# The words each pattern's matches start with (lower case), for search_at_starts.
_REMOTE_JA_STARTS = ("フル", "完全", "全面", "リモート", "テレワーク", "在宅")
_ON_IN = ("on-site", "on site", "onsite", "in-office", "in office", "in-person", "in person")
_HYBRID_WORDS = (
    "一部", "リモート", "在宅", "テレワーク", "ハイブリッド", "週", "hybrid", "partially", "partly", "remote", "some",
)
_HYBRID_STARTS = literal_starts(_HYBRID_WORDS)
# The hybrid matches that start with a digit ("3 days a week in the office") all contain "day":
# digits (many in Japanese listings: times, pay, dates) are candidates only when it occurs.
_HYBRID_STARTS_DIGITS = literal_starts(_HYBRID_WORDS, digits=True)
_NEGATED_STARTS = literal_starts((*_REMOTE_JA_STARTS, "no", "non", "remote", *_ON_IN, "100", "this", "work"))
_REMOTE_STARTS = literal_starts((*_REMOTE_JA_STARTS, "fully", "100", "remote", "work", "wfh", "telecommut"))
_ONSITE_STARTS = literal_starts(("出社", "在宅", *_ON_IN, "office"))


def _word(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    key = _SEPARATORS.sub(" ", fold(value).strip().lower())
    key = _ONSITE_JOINED.sub(" ", key)  # "OnSite" -> "on site"
    return _STRUCTURED_WORDS.get(key)


def _from_structured(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _word(value)
    if isinstance(value, list | tuple):
        found = [_from_structured(item) for item in value[:20]]
        modes = {mode for mode in found if mode}
        if "remote" in modes and "onsite" in modes:
            return "hybrid"
        for mode in ("hybrid", "remote", "onsite"):
            if mode in modes:
                return mode
        return None
    if not isinstance(value, Mapping):
        return None
    for key in ("jobLocationType", "workplaceType", "workplace_type", "remote_type", "locationType"):
        stated = _from_structured(value.get(key))
        if stated:
            return stated
    location = value.get("location")
    if isinstance(location, Mapping) and ("remote" in location or "hybrid" in location):
        value = location
    remote_flag = value.get("remote", value.get("isRemote"))
    hybrid_flag = value.get("hybrid")
    if hybrid_flag is True:
        return "hybrid"
    if remote_flag is True:
        return "remote"
    if remote_flag is False and hybrid_flag is False:
        return "onsite"  # SmartRecruiters states both flags; both false means on-site
    if "slug" in value and "epoch" in value and "position" in value:
        return "remote"  # a RemoteOK job object
    return None


def _from_text(text: str) -> str | None:
    if len(text) <= 300:
        return _from_short_text(text)  # location strings and titles repeat across a run
    return _from_text_uncached(text)


@lru_cache(maxsize=32_768)
def _from_short_text(text: str) -> str | None:
    return _from_text_uncached(text)


def _from_text_uncached(text: str) -> str | None:
    folded = fold(text[:_MAX_TEXT])
    lower = folded.lower()
    if len(lower) == len(folded):
        return _from_text_one_scan(folded, lower)
    if search_at_starts(_HYBRID, _HYBRID_STARTS_DIGITS if "day" in lower else _HYBRID_STARTS, folded, lower):
        return "hybrid"
    if search_at_starts(_NEGATED, _NEGATED_STARTS, folded, lower):
        return "onsite"
    if search_at_starts(_REMOTE, _REMOTE_STARTS, folded, lower):
        return "remote"
    if search_at_starts(_ONSITE, _ONSITE_STARTS, folded, lower):
        return "onsite"
    return None


# The four patterns in the order they decide, each with what it decides. One scan for the
# start words of all four replaces a scan per pattern: a pattern tried at a position where only
# another pattern's words start simply does not match there, so each pattern is found exactly
# when its own scan would find it.
_BY_PRIORITY = ((_HYBRID, "hybrid"), (_NEGATED, "onsite"), (_REMOTE, "remote"), (_ONSITE, "onsite"))
_ALL_WORDS = (*_HYBRID_WORDS, *_REMOTE_JA_STARTS, "no", "non", "remote", *_ON_IN, "100", "this", "work", "fully", "wfh",
              "telecommut", "出社", "office")
_ALL_STARTS = literal_starts(_ALL_WORDS)
_ALL_STARTS_DIGITS = literal_starts(_ALL_WORDS, digits=True)


def _from_text_one_scan(folded: str, lower: str) -> str | None:
    """What the four searches in priority order decide, from one scan (``lower`` lines up with
    ``folded``): a hybrid match ends it at once; otherwise the first pattern found decides."""
    search = (_ALL_STARTS_DIGITS if "day" in lower else _ALL_STARTS).search
    found = [False, False, False, False]
    pos = 0
    while True:
        start = search(lower, pos)
        if start is None:
            break
        at = start.start()
        for index, (pattern, _) in enumerate(_BY_PRIORITY):
            if not found[index] and pattern.match(folded, at) is not None:
                if index == 0:
                    return "hybrid"
                found[index] = True
        pos = at + 1
    for index, (_, mode) in enumerate(_BY_PRIORITY):
        if found[index]:
            return mode
    return None


def detect_remote(structured: object = None, text: str | None = None) -> str | None:
    """ "remote", "hybrid", "onsite" or None (not stated).

    ``structured`` may be a whole ATS job object or a JobPosting dict, one of its fields
    (``"TELECOMMUTE"``, ``"OnSite"``), or a list of them; ``text`` is a location string or a
    description. Never raises on odd input.
    """
    try:
        mode = _from_structured(structured)
    except (TypeError, ValueError, AttributeError):
        mode = None
    if mode:
        return mode
    if isinstance(text, str) and text.strip():
        return _from_text(text)
    return None
