"""Employment type normalizer: structured values and Japanese/English text to schema.org types.

The target is schema.org's JobPosting ``employmentType`` enumeration (FULL_TIME, PART_TIME,
CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER). Japanese employment categories do
not line up one to one with it; the mapping below is chosen by what schema.org's words mean:

- 正社員 / 正職員 / 常勤 -> FULL_TIME. 常勤 is "full-time attendance" (used for nurses and
  care staff whatever the contract).
- 契約社員 / 嘱託 / 期間従業員 / 有期 -> TEMPORARY. They are employees on a fixed-term contract;
  schema.org's CONTRACTOR is an independent contractor, which they are not.
- 派遣 (including 常用型派遣 / 登録型派遣) -> TEMPORARY: agency workers placed with a client, the
  usual meaning of "temporary" work in schema.org and in job boards.
- 業務委託 / 請負 / フリーランス / 個人事業主 -> CONTRACTOR (work done under a service contract).
- パート / アルバイト / 非常勤 -> PART_TIME. インターン -> INTERN. ボランティア -> VOLUNTEER.
  パート counts only as a word: not inside エキスパート, アパート, デパート or パートナー
  (株式会社パートナー is an employer, not a schedule).
  日雇い / スポット -> PER_DIEM.
- 正社員以外 (Hello Work's "anything but regular staff") -> OTHER: it says what the job is not.
- English "Permanent" says nothing about hours and is ignored; "Contract" is read as
  CONTRACTOR (the job-board usage); USAJOBS "Intermittent" (no fixed schedule, paid for days
  worked) -> PER_DIEM; "Job sharing" -> PART_TIME; a value that names none of these -> OTHER.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from pipeline.canonical import EMPLOYMENT_TYPES
from pipeline.text.normalize import fold

__all__ = ["normalize_employment_types"]

# パート as a word (パート, パート・アルバイト, パートタイム, パート社員, （パート）, ママパート), never
# the tail of another katakana word (エキスパート, アパート, デパート) nor the head of パートナー.
# ・ (U+30FB) lies outside ァ-ヺ, so アルバイト・パート still counts.
_PART_WORD = r"(?:(?<![ァ-ヺー])|(?<=ママ))パート(?!ナ)"

# Ordered: the first pattern that matches a structured value decides it. Patterns run on the
# folded, lower-cased value with "_", "-" and "/" turned into spaces.
_VALUE_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), result)
    for pattern, result in (
        (r"正社員以外", "OTHER"),
        (r"正社員|正職員|(?<!非)常勤|^fulltime$|full ?time|^ft$", "FULL_TIME"),
        (rf"非常勤|{_PART_WORD}|アルバイト|バイト|^parttime$|part ?time|^pt$|job shar", "PART_TIME"),
        (
            r"派遣|契約社員|契約職員|嘱託|期間従業員|期間工|有期|^temp|temporary|seasonal|fixed ?term|^term$|"
            r"^summer$",
            "TEMPORARY",
        ),
        (r"業務委託|請負|フリーランス|個人事業主|contract|freelance|self ?employed", "CONTRACTOR"),
        (r"インターン|intern|praktikum|trainee|working student|werkstudent|apprentice", "INTERN"),
        (r"ボランティア|volunteer", "VOLUNTEER"),
        (r"日雇|スポット|per ?diem|^prn$|intermittent|casual", "PER_DIEM"),
        (r"^other$|その他", "OTHER"),
        (r"^permanent$|^regular$|^無期$|^not specified$|^unspecified$|^none$|^n a$", None),
    )
)

# Free-text search: every hit, in the order it appears. 正社員登用 ("may become regular staff")
# and 正社員以外 must not read as 正社員.
_TEXT_PATTERN = re.compile(
    r"(?P<other>正社員以外)"
    r"|(?P<promo>正社員(?:への|に)?(?:登用|採用を目指|化|転換))"
    r"|(?P<full>正社員|正職員|(?<!非)常勤|\bfull[- ]?time\b)"
    rf"|(?P<part>非常勤|{_PART_WORD}|アルバイト|\bpart[- ]?time\b)"
    r"|(?P<temp>派遣|契約社員|契約職員|嘱託|期間従業員|\btemporary\b|\bfixed[- ]term\b|\bseasonal\b)"
    r"|(?P<contractor>業務委託|請負|フリーランス|\bfreelance\b|\bindependent contractor\b|\bcontractor\b)"
    r"|(?P<intern>インターン|\binternship\b|\bintern\b)"
    r"|(?P<volunteer>ボランティア|\bvolunteer\b)"
    r"|(?P<perdiem>日雇い?|\bper[- ]diem\b)",
    re.IGNORECASE,
)
# Every match of _TEXT_PATTERN starts with one of these (lower-case) literals. _TEXT_PATTERN is
# case-insensitive and starts with named groups, so Python's regex engine tries it at every
# character of a description; this case-sensitive alternation of literals is scanned in C by
# its first characters, and _TEXT_PATTERN is then tried only where it found one.
_TEXT_STARTS = re.compile(
    "|".join(
        re.escape(word)
        for word in (
            "正社員", "正職員", "常勤", "非常勤", "パート", "アルバイト", "派遣", "契約社員", "契約職員", "嘱託",
            "期間従業員", "業務委託", "請負", "フリーランス", "インターン", "ボランティア", "日雇",
            "full", "part", "temporary", "fixed", "seasonal", "freelance", "independent", "contractor", "intern",
            "volunteer", "per-diem", "per diem",
        )
    )
)
_TEXT_GROUPS = {
    "other": "OTHER",
    "full": "FULL_TIME",
    "part": "PART_TIME",
    "temp": "TEMPORARY",
    "contractor": "CONTRACTOR",
    "intern": "INTERN",
    "volunteer": "VOLUNTEER",
    "perdiem": "PER_DIEM",
}
_SPLIT = re.compile(r"\s*(?:[,;、・|/]|\band\b|\bor\b)\s*", re.IGNORECASE)
_KEY_FIELDS = ("label", "name", "Name", "value", "id", "commitment", "employmentType", "typeOfEmployment")
_MAX_DEPTH = 4
_SEPARATORS = re.compile(r"[_\-]+")
_MAX_TEXT = 20_000


@lru_cache(maxsize=4096)
def _classify_value(value: str) -> tuple[str, ...]:
    """Types named by one structured value; a composite ("Permanent / Full Time") gives each part."""
    key = _SEPARATORS.sub(" ", fold(value).strip().lower())
    if not key:
        return ()
    found: list[str] = []
    parts = [part for part in _SPLIT.split(key) if part]
    for part in parts if len(parts) > 1 else [key]:
        for item in _classify_single(part):
            if item not in found:
                found.append(item)
    if len(found) > 1 and "OTHER" in found:
        found.remove("OTHER")  # "Full-time, Shift work": the named type is enough
    return tuple(found)


def _classify_single(key: str) -> list[str]:
    for pattern, result in _VALUE_RULES:
        if pattern.search(key):
            return [] if result is None else [result]
    return ["OTHER"]


def _collect(value: object, out: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH or value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        for item in _classify_value(value[:200]):
            if item not in out:
                out.append(item)
        return
    if isinstance(value, Mapping):
        for key in _KEY_FIELDS:
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                _collect(inner, out, depth + 1)
                return
            if isinstance(inner, Mapping | list | tuple):
                _collect(inner, out, depth + 1)
                return
        return
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        for item in list(value)[:20]:
            _collect(item, out, depth + 1)


def _text_matches(folded: str) -> list[re.Match[str]]:
    """The matches of _TEXT_PATTERN.finditer(folded), found from _TEXT_STARTS candidates."""
    lower = folded.lower()
    if len(lower) != len(folded):
        return list(_TEXT_PATTERN.finditer(folded))  # lower-casing moved offsets: the plain scan
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        start = _TEXT_STARTS.search(lower, pos)
        if start is None:
            return out
        match = _TEXT_PATTERN.match(folded, start.start())
        if match is not None and match.end() > match.start():
            out.append(match)
            pos = match.end()
        else:
            pos = start.start() + 1


def _from_text(text: str) -> list[str]:
    found: list[str] = []
    for match in _text_matches(fold(text[:_MAX_TEXT])):
        group = match.lastgroup
        if group is None or group == "promo":
            continue
        item = _TEXT_GROUPS[group]
        if item not in found:
            found.append(item)
    return found


def normalize_employment_types(value: object = None, text: str | None = None) -> list[str]:
    """schema.org employment types from a structured value, else from text; deduped, in order.

    ``value`` may be a string ("Full-time", "FULL_TIME", "FullTime", "Permanent / Full Time",
    "正社員"), a list of them, or a dict as ATS APIs give it (SmartRecruiters
    ``{"id": "intern", "label": "Intern"}``, USAJOBS ``{"Name": "Full-time", "Code": "1"}``).
    ``text`` (a 雇用形態 field or a description) is searched only when ``value`` gives nothing,
    because a description mentions types it does not offer ("正社員登用あり"). Anything
    unusable gives ``[]``; this never raises.
    """
    out: list[str] = []
    try:
        _collect(value, out, 0)
    except (TypeError, ValueError):
        out = []
    if not out and isinstance(text, str) and text.strip():
        out = _from_text(text)
    return [item for item in out if item in EMPLOYMENT_TYPES]
