"""The role's seniority ("entry" | "mid" | "senior" | "lead") and its stated minimum years of experience.

Seniority is read from the title first; only when the title says nothing, from the text (the
requirements): explicit words ("entry-level position", "senior-level role", 未経験歓迎, 新卒),
then the stated minimum years (under 1 year: entry; 2 to 4: mid; 5 or more: senior).

Title words:
- lead: lead, principal, head (of), director, VP / vice president, chief, managing director,
  staff + an engineering or research role ("Staff Engineer"), manager of people; 管理職,
  責任者, マネージャー / マネジャー, 部長, 課長, 所長, 支店長, 店長, 統括, リーダー.
- senior: senior, sr., snr, シニア + a role (シニアエンジニア), 上級, level III / IV.
- mid: mid-level, intermediate, level II, 中堅.
- entry: junior, jr., entry level, graduate / new grad, intern(ship), trainee, apprentice,
  assistant, level I; 未経験歓迎 / 未経験OK, 新卒, 第二新卒, アシスタント, 見習い, 研修生, インターン.

Choices (each a judgement, written down so it can be revisited):
- "Senior care / living / citizens", "seniors" and シニア歓迎 / シニア世代 / シニア層 speak of older
  people (as clients or as welcome workers), not of the role's level: not seniority.
- "Lead generation" is a marketing task, not a lead role. "Staff nurse", "staff accountant",
  "wait staff" are ordinary posts: "staff" means lead only before an engineering or research role.
- "Head chef" (and head nurse, head teacher) is lead: the holder runs a kitchen or a team.
- "Manager" is lead, except where the title names a role that manages a thing rather than
  people (product, project, program, account, case, community, content, social media, success,
  property, ...) or a shift ("Shift Manager" runs a shift in a shop, a step above crew): those
  give no level from the word. "Assistant manager" is not entry (the assistant word is skipped
  before manager/director/professor) and not lead: no level.
- 店長候補 / リーダー候補 / 幹部候補 (trainees for the post) are not lead.
- "Physician Assistant" is a profession, not an assistant post; "Case Manager I/II" names two
  levels at once: neither gives a level.

Experience years (:func:`experience_years_min`): "5+ years", "at least 3 years of experience",
"minimum of 2 years", "3-5 years of experience" (3), "two years of experience", 経験5年以上,
実務経験3年以上, 3年以上の実務経験. Statements on a "preferred / nice to have / 歓迎 / 優遇" line
are preferences, not minimums, and company history ("we have 20 years of experience") is not
read. The first minimum stated is kept. When no number is stated and the text says no
experience is needed (未経験歓迎, 経験不問, "no experience required"), the minimum is 0.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from pipeline.canonical import Seniority
from pipeline.text.normalize import (
    FIELD_LITERALS,
    finditer_at,
    fold,
    literal_starts,
    positions_line_up,
    search_at,
    search_at_starts,
)

__all__ = ["experience_years_min", "seniority", "seniority_from_text", "seniority_from_title"]

_MAX_TEXT = 30_000

# ----------------------------------------------------------------------------- titles

_IC_MANAGER = (
    r"product|project|program|programme|account|accounts|case|content|community|social media|success|property"
    r"|relationship|partner|partnerships|category|campaign|marketing|brand|office|shift|care|delivery|release"
)
_EN_LEAD = re.compile(
    r"\b(?:team|tech|technical|engineering|group|shift)?\s*lead\b(?![\s-]+gen(?:eration)?\b(?![\s-]?ai))"
    r"|\bprincipal\b|\bhead\s+of\b|\bhead\s+(?:chef|nurse|teacher|coach|of)\b|\bdirector\b|\bvp\b|\bvice[\s-]president\b"
    r"|\bchief\b|\bmanaging director\b|\bsupervisor\b"
    r"|\bstaff\s+(?:software|engineer|data|machine|ml|research|scientist|designer|product|security|site reliability"
    r"|backend|back-end|frontend|front-end|full[\s-]?stack|infrastructure|platform|developer|architect|technical)"
    r"|(?<!assistant )(?<!assistant\s)\bmanager\b",
    re.IGNORECASE,
)
_EN_NOT_LEAD = re.compile(
    r"\blead[\s-]+gen(?:eration)?\b(?![\s-]?ai)|\bshift\s+(?:lead|supervisor|manager)\b|\bassistant\s+(?:manager|director|principal)\b"
    r"|\b(?:" + _IC_MANAGER + r")\s+manager\b",
    re.IGNORECASE,
)
_EN_SENIOR = re.compile(
    r"\b(?:senior|snr)\b(?!\s*(?:care|living|citizens?|home|homes|centre|center|services|housing|community|companion"
    r"|caregiver|residents?|day\s+care))|\bsr\b\.?|\b(?:iii|iv)\b(?=\s*(?:$|[-,(|/]))|\blevel\s*(?:3|4|iii|iv)\b",
    re.IGNORECASE,
)
_EN_MID = re.compile(
    r"\bmid[\s-]?level\b|\bmid[\s-]senior\b|\bintermediate\b|\bii\b(?=\s*(?:$|[-,(|/]))|\blevel\s*(?:2|ii)\b",
    re.IGNORECASE,
)
_EN_ENTRY = re.compile(
    r"\bjunior\b|\bjr\b\.?|\bentry[\s-]?level\b|\bgraduate\b|\bnew grad\w*\b|\bintern(?:ship)?s?\b|\btrainee\b"
    r"|\bapprentice(?:ship)?\b|\bassistant\b(?!\s+(?:manager|director|professor|principal|vice|general counsel"
    r"|controller|superintendent))|\b[a-z]+\s+i\b(?=\s*(?:$|[-,(|/]))|\blevel\s*(?:1|i)\b|\bearly[\s-]career\b",
    re.IGNORECASE,
)
_JA_LEAD = re.compile(
    r"管理職|責任者|(?<!アカウント)(?<!プロジェクト)(?<!プロダクト)(?<!カスタマーサクセス)マネー?ジャー(?!候補)"
    r"|部長|課長|所長|支店長|工場長|(?<!副)店長(?!候補)|統括|(?<!サブ)リーダー(?!候補)"
)
_JA_SENIOR = re.compile(
    r"シニア(?=エンジニア|コンサルタント|マネー?ジャー|デザイナー|アナリスト|ディレクター|リサーチャー|プロダクト|データ"
    r"|ソフトウェア|アーキテクト|サイエンティスト|プログラマー|スペシャリスト|アソシエイト)|上級"
)
_JA_MID = re.compile(r"中堅|ミドル(?:クラス|層)(?:の|を)?(?:募集|採用)")
_JA_ENTRY = re.compile(r"未経験(?:者)?(?:歓迎|OK|ok|可)|(?<!第二)新卒|第二新卒|アシスタント|見習い|研修生|インターン")

# "Physician Assistant" is a licensed clinician, not an assistant post; "Case Manager I/II" names
# two levels at once, so neither.
_PROFESSION_ASSISTANT = re.compile(r"\bphysician'?s?\s+assistant\b", re.IGNORECASE)
_LEVEL_RANGE = re.compile(r"\b(?:i|ii|iii|iv)\s*/\s*(?:i|ii|iii|iv)\b", re.IGNORECASE)
_TITLE_RULES: tuple[tuple[Seniority, re.Pattern[str], re.Pattern[str]], ...] = (
    ("lead", _EN_LEAD, _JA_LEAD),
    ("senior", _EN_SENIOR, _JA_SENIOR),
    ("mid", _EN_MID, _JA_MID),
    ("entry", _EN_ENTRY, _JA_ENTRY),
)


def seniority_from_title(title: str) -> Seniority | None:
    """The level a title names; lead beats senior beats mid beats entry ("Senior Manager" is lead,
    "Junior Project Manager" entry)."""
    if not title:
        return None
    text = _LEVEL_RANGE.sub(" ", _PROFESSION_ASSISTANT.sub(" ", fold(title)))
    cleared = _EN_NOT_LEAD.sub(" ", text)  # the words that look like lead and are not
    for level, english, japanese in _TITLE_RULES:
        source = cleared if level == "lead" else text
        if english.search(source) or japanese.search(text):
            return level
    return None


# ----------------------------------------------------------------------------- requirements text

_TEXT_ENTRY = re.compile(
    r"\bentry[\s-]level\s+(?:position|role|job|opportunity)\b|\bno (?:prior |previous )?experience"
    r" (?:is )?(?:required|necessary|needed)\b|\bthis is an entry[\s-]level\b"
    r"|未経験(?:者)?(?:歓迎|OK|ok|可|からスタート)|経験不問|新卒(?:採用|歓迎)",
    re.IGNORECASE,
)
# The words each phrase of the three patterns above and below starts with (lower case), so a
# long description is searched only where one occurs (search_at_starts).
_TEXT_ENTRY_STARTS = literal_starts(("entry", "no ", "this is an entry", "未経験", "経験不問", "新卒"))
_TEXT_SENIOR_STARTS = literal_starts(("this is a senior", "senior"))
_TEXT_LEAD_STARTS = literal_starts(
    ("you will", "you'll", "people management", "direct reports", "部下", "マネジメント")
)
# The same words in the field readers' one literal pass (entry, senior, lead).
_TEXT_GROUPS = tuple(FIELD_LITERALS.add(words) for words in (
    ("entry", "no ", "this is an entry", "未経験", "経験不問", "新卒"),
    ("this is a senior", "senior"),
    ("you will", "you'll", "people management", "direct reports", "部下", "マネジメント"),
))
_TEXT_SENIOR = re.compile(r"\bthis is a senior[\s-]level\b|\bsenior[\s-]level\s+(?:position|role)\b", re.IGNORECASE)
_TEXT_LEAD = re.compile(
    r"\b(?:you will|you'll)\s+(?:directly\s+)?(?:manage|lead)\s+a\s+team\s+of\b|\bpeople management"
    r" (?:role|position)\b|\b(?:direct reports)\b|部下(?:の)?(?:マネジメント|育成|管理)|マネジメント(?:経験)?必須",
    re.IGNORECASE,
)


def seniority_from_text(text: str) -> Seniority | None:
    """The level the requirements state; None when they do not."""
    if not text:
        return None
    folded = fold(text[:_MAX_TEXT])
    lowered = folded.lower()
    if not positions_line_up(folded, lowered):
        return _level_searching_all(folded, lowered)
    entry, senior, lead = (FIELD_LITERALS.positions(lowered)[group] for group in _TEXT_GROUPS)
    if search_at(_TEXT_LEAD, folded, lead):
        return "lead"
    if search_at(_TEXT_SENIOR, folded, senior):
        return "senior"
    years = _stated_years(folded)
    if years is not None:
        return "senior" if years >= 5 else "mid" if years >= 2 else "entry"
    if search_at(_TEXT_ENTRY, folded, entry):
        return "entry"
    return None


def _level_searching_all(folded: str, lowered: str) -> Seniority | None:
    """seniority_from_text for a text whose lower-case offsets do not line up with it."""
    if search_at_starts(_TEXT_LEAD, _TEXT_LEAD_STARTS, folded, lowered):
        return "lead"
    if search_at_starts(_TEXT_SENIOR, _TEXT_SENIOR_STARTS, folded, lowered):
        return "senior"
    years = _stated_years(folded)
    if years is not None:
        return "senior" if years >= 5 else "mid" if years >= 2 else "entry"
    if search_at_starts(_TEXT_ENTRY, _TEXT_ENTRY_STARTS, folded, lowered):
        return "entry"
    return None



def seniority(title: str, text: str = "") -> Seniority | None:
    """"entry" | "mid" | "senior" | "lead" from the title, else from the text; None when unstated."""
    return seniority_from_title(title) or seniority_from_text(text)


# ----------------------------------------------------------------------------- experience years

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15}
_NUMBER = r"(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(_WORD_NUMBERS) + r")"
_EN_YEARS = re.compile(
    r"(?:\b(?P<cue>at least|minimum(?: of)?|min\.|a minimum of)\s+)?\b" + _NUMBER
    + r"\s*(?:\+|(?:-|to)\s*\d{1,2}\+?|\s+or more)?\s*(?:\(\d+\)\s*)?years?\b",
    re.IGNORECASE,
)
# After the years, "experience" must follow in the same sentence (unless a cue such as "at
# least" came before): "5 years warranty" and "a 2 year contract" are not requirements.
_EXPERIENCE_AFTER = re.compile(r"[^.\n;]{0,60}?\b(?:experience|exp\b)", re.IGNORECASE)
_JA_YEARS = re.compile(
    r"(?:実務)?経験(?:年数)?\s*(?P<n>\d{1,2})\s*年(?:以上|~)|(?P<m>\d{1,2})\s*年以上の(?:[^\s、。]{0,12})?(?:経験|実務)"
)
# A requirement bullet that opens with "8+ years" or "10-12 years" ("8+ years designing ...").
_BULLET_START = re.compile(r"[\s\W]*")
_PLUS_OR_RANGE = re.compile(r"\d\s*(?:\+|-\s*\d)")
_PREFERENCE_LINE = re.compile(r"prefer|nice to have|bonus|a plus|desired|歓迎|優遇|尚可|あれば", re.IGNORECASE)
_COMPANY_HISTORY = re.compile(r"\b(?:we|we've|our|company|firm|founded|since)\b(?:\s+[\w']+){0,3}\s*$", re.IGNORECASE)
_NO_EXPERIENCE = re.compile(r"\bno (?:prior |previous )?experience (?:is )?(?:required|necessary|needed)\b"
                            r"|未経験(?:者)?(?:歓迎|OK|ok|可)|経験不問", re.IGNORECASE)


def _number(text: str) -> float:
    return float(_WORD_NUMBERS.get(text.lower(), 0) or float(text))


# Each match of _EN_YEARS ends at a "year(s)": those words are found first, and the pattern is
# tried only in the stretch before each one (what it can span), anchored at the word's end.
_YEAR_WORD = re.compile(r"years?\b", re.IGNORECASE)
_EN_YEARS_ENDING = re.compile(_EN_YEARS.pattern + r"$", re.IGNORECASE)
_YEARS_REACH = 80
# Where the years patterns may match: "year" (every _YEAR_WORD match starts with it), the words
# the first Japanese alternative starts with, and 年 (the second starts with the one or two digits
# before a 年, spaces between); and what _NO_EXPERIENCE starts with.
_YEAR_GROUP = FIELD_LITERALS.add(("year",))
_JA_YEARS_GROUP = FIELD_LITERALS.add(("実務", "経験"))
_NEN_GROUP = FIELD_LITERALS.add(("年",))
_NO_EXPERIENCE_GROUP = FIELD_LITERALS.add(("no ", "未経験", "経験不問"))


def _english_years(folded: str, year_words: list[re.Match[str]] | None = None) -> list[re.Match[str]]:
    """The matches of _EN_YEARS in ``folded``, in order, without scanning every position
    (``year_words``: the matches of _YEAR_WORD when the caller has them)."""
    found: list[re.Match[str]] = []
    last_end = 0
    for word in _YEAR_WORD.finditer(folded) if year_words is None else year_words:
        begin = max(last_end, word.start() - _YEARS_REACH)
        while 0 < begin < word.start() and folded[begin - 1].isalnum():
            begin += 1  # never start inside a word
        match = _EN_YEARS_ENDING.search(folded, begin, word.end())
        if match is not None:
            found.append(match)
            last_end = match.end()
    return found


def _year_matches(folded: str) -> list[tuple[int, re.Match[str], str]]:
    """(start, match, language) of every English and Japanese years statement, unsorted."""
    lowered = folded.lower()
    if not positions_line_up(folded, lowered):
        # The scans are slow over long descriptions, so each runs only when its unit word is there.
        matches = [(m.start(), m, "en") for m in _english_years(folded)] if "year" in lowered else []
        if "年" in folded:
            matches += [(m.start(), m, "ja") for m in _JA_YEARS.finditer(folded)]
        return matches
    positions = FIELD_LITERALS.positions(lowered)
    year_words = [m for m in map(_YEAR_WORD.match, repeat(folded), positions[_YEAR_GROUP]) if m is not None]
    matches = [(m.start(), m, "en") for m in _english_years(folded, year_words)]
    if positions[_NEN_GROUP]:
        starts = set(positions[_JA_YEARS_GROUP])
        for nen in positions[_NEN_GROUP]:
            digits_end = nen
            while digits_end > 0 and folded[digits_end - 1].isspace():  # what \s* before 年 spans
                digits_end -= 1
            starts.update(at for at in (digits_end - 1, digits_end - 2) if at >= 0)
        matches += [(m.start(), m, "ja") for m in finditer_at(_JA_YEARS, folded, sorted(starts))]
    return matches


@lru_cache(maxsize=8)
def _stated_years(folded: str) -> float | None:
    # Asked twice per listing (its level, its minimum years) of the same text: cached.
    matches = _year_matches(folded)
    for start, match, lang in sorted(matches, key=lambda found: found[0]):
        line_start = folded.rfind("\n", 0, start) + 1
        if _PREFERENCE_LINE.search(folded, line_start, start) or _PREFERENCE_LINE.search(
            folded, match.end(), match.end() + 25
        ):
            continue  # "Preferred: 7+ years", "5 years preferred"
        if lang == "ja" and _PREFERENCE_LINE.search(folded[match.end(): match.end() + 15]):
            continue  # 経験3年以上の方歓迎 / 優遇: a preference
        if lang == "en" and not (
            match.group("cue")
            or _EXPERIENCE_AFTER.match(folded, match.end())
            or (_BULLET_START.fullmatch(folded, line_start, start) and _PLUS_OR_RANGE.search(match.group(0)))
        ):
            continue  # "5 years" alone may be anything (a warranty, a contract length)
        if lang == "en" and _COMPANY_HISTORY.search(folded[max(0, start - 30): start]):
            continue
        years = _number(match.group("n") if lang == "en" or match.group("n") else match.group("m"))
        if 0 < years <= 40:
            return years
    return None


def experience_years_min(text: str) -> float | None:
    """The stated minimum years of experience; 0.0 when the text says none is needed; None when unstated."""
    if not text:
        return None
    folded = fold(text[:_MAX_TEXT])
    years = _stated_years(folded)
    if years is not None:
        return years
    lowered = folded.lower()
    if positions_line_up(folded, lowered):
        stated_none = search_at(_NO_EXPERIENCE, folded, FIELD_LITERALS.positions(lowered)[_NO_EXPERIENCE_GROUP])
    else:
        stated_none = _NO_EXPERIENCE.search(folded)
    return 0.0 if stated_none else None
