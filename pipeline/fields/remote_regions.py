"""Where a remote or hybrid job may be done from: ``remote_regions`` of the canonical listing.

Output: ISO 3166-1 alpha-2 codes ("US", "JP") and the region tokens of
``pipeline.canonical.REMOTE_REGION_TOKENS`` (``ANYWHERE`` = explicitly worldwide; ``EU``,
``EUROPE``, ``NORTH_AMERICA``, ``AMERICAS``, ``LATAM``, ``EMEA``, ``APAC``), in the order found,
each once. An empty list means the listing does not say (never "anywhere").

Structured fields first (:func:`regions_from_places`): schema.org ``applicantLocationRequirements``
(Country / AdministrativeArea objects or strings) and the ATS location strings of a remote or
hybrid job (Greenhouse "Remote - US", "Remote (Canada)", "US-Remote"; Lever ``allLocations``;
Ashby ``location`` and a country-only ``address``; Remote OK ``location`` such as "USA Only",
"Worldwide", "Europe"). A location piece counts when it is marked remote ("Remote, Bangalore"
gives IN) or, on a remote job whose location marks no piece remote, names nothing smaller than
a country ("United States", "Europe"); a city without the remote mark ("Saint Louis, MO, USA"
on a remote job) is the office, not where a remote worker may live, and counts for nothing, as
do the unmarked pieces beside a marked one ("Hong Kong; Remote; Singapore").

Then the description (:func:`regions_from_text`), only when the structured fields gave nothing:
"US only", "must reside in the United States", "candidates based in the EU or UK", "remote
within Canada", "anywhere in Japan", "work from anywhere in the world", 日本国内在住,
国内どこでも, 海外在住不可. Company prose ("our team is based in Berlin", "customers
worldwide") and citizenship or work-authorization clauses are not read: they do not say where a
person may work from.

Countries are resolved by :func:`pipeline.fields.location.resolve_country` (and US state names by
``resolve_us_state``, a state meaning the US); a bare two-letter code that is also a US state
code (CA, IN, DE, GA, ...) is ambiguous and counts for nothing; time-zone abbreviations
("ET/CT/PT Remote") are not places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from pipeline.fields.location import normalize_locations, resolve_country, resolve_us_state
from pipeline.text.normalize import FIELD_LITERALS, finditer_at, fold, literal_starts, positions_line_up, search_at

__all__ = ["ANYWHERE", "regions_from_places", "regions_from_text", "remote_regions"]

ANYWHERE = "ANYWHERE"
_REGIONS = {
    "eu": "EU", "european union": "EU", "europe": "EUROPE", "european": "EUROPE", "emea": "EMEA",
    "apac": "APAC", "asia pacific": "APAC", "asia-pacific": "APAC", "latam": "LATAM", "latin america": "LATAM",
    "americas": "AMERICAS", "the americas": "AMERICAS", "north america": "NORTH_AMERICA",
    "欧州": "EUROPE", "ヨーロッパ": "EUROPE", "アジア太平洋": "APAC", "北米": "NORTH_AMERICA",
    "国内": "JP", "日本国内": "JP",
}
_WORLDWIDE = frozenset({"anywhere", "worldwide", "world wide", "global", "globally", "anywhere in the world", "全世界"})
_MAX_TEXT = 30_000
_MAX_PLACES = 50

# ----------------------------------------------------------------------------- one place name

_TIME_ZONES = re.compile(r"\b(?:ET|CT|PT|MT|EST|CST|PST|MST|EDT|PDT|CET|CEST|GMT|UTC|BST|JST|AEST)\b"
                         r"|\btime\s?zones?\b", re.IGNORECASE)
_SHORT_CODE = re.compile(r"^[A-Z]{2,3}$")


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip(" .,-:()[]'\"").lower())


def _resolve_name(name: str, cities: bool = False) -> str | None:
    """A country code or region token for one place name; None when it names neither."""
    key = _key(name)
    if not key:
        return None
    if key in _REGIONS:
        return _REGIONS[key]
    if key in _WORLDWIDE:
        return ANYWHERE
    bare = name.strip(" .,-:()[]").replace(".", "")
    if len(bare) <= 3 and bare.isascii():
        # "US", "USA", "U.S.", "UK"; never lower-case words ("in", "us") or ambiguous codes ("CA").
        if not _SHORT_CODE.match(bare) or resolve_us_state(bare):
            return None
        return resolve_country(bare)
    country = resolve_country(name.strip(" .,-:()[]"))
    if country:
        return country
    if resolve_us_state(name.strip(" .,-:()[]")):
        return "US"
    if cities:  # a city of a remote-marked ATS location ("Remote, Bangalore"): its country
        found = {loc["country"] for loc in normalize_locations(None, name) if loc["country"]}
        return found.pop() if len(found) == 1 else None
    return None


def _add(found: list[str], region: str | None) -> None:
    if region and region not in found:
        found.append(region)


# ----------------------------------------------------------------------------- structured fields

_PIECES = re.compile(r"\s*(?:;|\||/|／|\n|\bor\b)\s*", re.IGNORECASE)
_REMOTE_MARK = re.compile(r"\bremote\b|\banywhere\b|\bworldwide\b|\bglobal(?:ly)?\b|\bwfh\b|\bwork from home\b"
                          r"|フルリモート|リモート|在宅|テレワーク", re.IGNORECASE)
_NOT_PLACE = re.compile(
    r"\b(?:fully\s+)?remote(?:[\s-]first)?\b|\bhybrid\b|\bwork from home\b|\bwfh\b|\bflexib\w*\b|\bfriendly\b"
    r"|\bpositions?\b|\bselect locations?\b|\bhub cities\b|\bonly\b|\bbased\b|\bcontinental\b|\bopportunity\b"
    r"|\bin the\b|\bin\b|\bwithin\b|\bthe\b|フルリモート|リモート|在宅|テレワーク|勤務|可能?",
    re.IGNORECASE,
)
_TOKENS = re.compile(r"\s*(?:,|\(|\)|\[|\]|\s-\s|-(?=[A-Z])|(?<=[a-zA-Z.])-|:|&|\band\b|、)\s*")
_QUALIFIER = re.compile(r"\([^)]*(?:,|&|\bor\b|\band\b|\bonly\b)[^)]*\)", re.IGNORECASE)


def _piece_regions(piece: str, remote_job: bool) -> list[str]:
    """Regions one location piece states, or [] (an office, an unknown place, "Remote" alone)."""
    marked = bool(_REMOTE_MARK.search(piece))
    if not marked and not remote_job:
        return []
    worldwide = bool(re.search(r"\banywhere\b|\bworldwide\b|\bglobal(?:ly)?\b", piece, re.IGNORECASE))
    piece = _QUALIFIER.sub(" ", piece)  # "(ON, AB, BC, or NS Only)" qualifies the country before it
    tokens = [t for t in (_NOT_PLACE.sub(" ", part).strip(" .,-:") for part in _TOKENS.split(piece)) if t]
    tokens = [t for t in tokens if t.lower() not in ("anywhere", "worldwide", "global", "globally")]
    found: list[str] = []
    for token in tokens:
        region = _resolve_name(token, cities=marked)
        if region is None and not marked:
            return []  # an unmarked piece counts only when all of it names countries or regions
        _add(found, region)
    if not found and worldwide and not tokens:
        return [ANYWHERE]
    return found


def _from_requirement(value: Mapping[str, object]) -> str | None:
    """A schema.org Country / AdministrativeArea (name, identifier or address country)."""
    for key in ("name", "identifier", "addressCountry", "@id"):
        inner = value.get(key)
        if isinstance(inner, Mapping):
            return _from_requirement(inner)
        if isinstance(inner, str) and inner.strip():
            return _resolve_name(inner)
    address = value.get("address")
    return _from_requirement(address) if isinstance(address, Mapping) else None


def regions_from_places(places: Iterable[object], remote: str | None) -> list[str]:
    """Regions stated by structured values: location strings, schema.org requirement objects
    (Country, AdministrativeArea) or address mappings; nested lists are read in order."""
    found: list[str] = []
    remote_job = remote == "remote"
    stack = list(places)[:_MAX_PLACES]
    stack.reverse()
    while stack:
        value = stack.pop()
        if isinstance(value, str) and value.strip():
            for region in _string_regions(value[:500], remote_job):
                _add(found, region)
        elif isinstance(value, Mapping):
            _add(found, _from_requirement(value))
        elif isinstance(value, list | tuple):
            stack.extend(reversed(list(value)[:_MAX_PLACES]))
    return found


@lru_cache(maxsize=16_384)
def _string_regions(text: str, remote_job: bool) -> tuple[str, ...]:
    text = _TIME_ZONES.sub(" ", fold(text))
    pieces = [p for p in _PIECES.split(text) if p.strip()]
    # When some piece is marked remote ("Hong Kong; Remote; Singapore"), the others are offices.
    any_marked = any(_REMOTE_MARK.search(piece) for piece in pieces)
    found: list[str] = []
    for piece in pieces:
        for region in _piece_regions(piece, remote_job and not any_marked):
            _add(found, region)
    return tuple(found)


# ----------------------------------------------------------------------------- description text

_PLACE = r"(?P<place>[^\n.;:!?()]{2,60})"
# "US only", "USA Only", "(US-only)", "United States only": the place is the words before "only".
_ONLY = re.compile(r"(?P<place>\b[A-Za-z][A-Za-z.]*(?:\s+[A-Za-z][A-Za-z.]*){0,3})[\s-]+only\b", re.IGNORECASE)
# "only" found first (cheap), then the place read backwards from it with _ONLY_PLACE: the same
# matches as _ONLY without trying every word of a long description as the start of a place.
_ONLY_WORD = re.compile(r"[\s-]+only\b", re.IGNORECASE)
_ONLY_PLACE = re.compile(r"(?P<place>\b[A-Za-z][A-Za-z.]*(?:\s+[A-Za-z][A-Za-z.]*){0,3})$")
_ONLY_REACH = 200  # characters before "only" that can hold four words of a place
_EN_PATTERNS = (
    re.compile(r"\b(?:must|should|need to|needs to|required to|have to)\s+(?:currently\s+)?(?:be\s+)?"
               r"(?:reside|live|located|based|a resident|residents?|living|residing)\s+(?:in|within)\s+" + _PLACE,
               re.IGNORECASE),
    re.compile(r"\b(?:candidates?|applicants?|professionals|individuals|people|talent|someone|anyone|those|"
               r"engineers?|specialists?|assessors?|role|position|job|you)\s+(?:\w+\s+){0,2}?(?:currently\s+)?"
               r"(?:based|located|residing|living|who (?:live|reside)|that (?:live|reside))\s+(?:in|within)\s+"
               + _PLACE,
               re.IGNORECASE),
    re.compile(r"\b(?:open (?:only )?to|only open to|restricted to|limited to)\s+(?:candidates\s+|applicants\s+)?"
               r"(?:residents of|(?:those |people )?(?:based|located|living|residing) in)\s+" + _PLACE, re.IGNORECASE),
    re.compile(r"\bremote\s+(?:\w+\s+){0,2}?(?:with)?in\s+(?:the\s+)?" + _PLACE, re.IGNORECASE),
    re.compile(r"\banywhere\s+(?:with)?in\s+" + _PLACE, re.IGNORECASE),
)
_EN_WORLDWIDE = re.compile(
    r"\banywhere in the world\b|\bwork(?:ing)? (?:remotely )?from anywhere\b(?!\s+(?:with)?in\b)"
    r"|\bremote[\s,(-]+(?:worldwide|global(?:ly)?)\b|\b(?:worldwide|globally)[\s-]+remote\b",
    re.IGNORECASE,
)
_JA_PATTERNS = (
    (re.compile(r"(?:日本)?国内(?:に|で)?(?:在住|居住)|日本(?:に|で)?(?:在住|居住)"), "JP"),
    (re.compile(r"(?:日本)?国内(?:なら|であれば)?(?:どこでも|どこからでも|全域)|全国どこ(?:から)?でも"), "JP"),
    (re.compile(r"海外(?:在住|居住)(?:の方)?(?:は|の)?(?:応募)?(?:不可|NG|対象外|できません)"), "JP"),
    (re.compile(r"海外(?:在住|居住)(?:の方)?(?:も|でも)?(?:応募)?(?:可|OK|歓迎)"), ANYWHERE),
)
# Words a pattern needs (lower case), looked for before its slower scan of a long description:
# the last two of _EN_PATTERNS start with "remote" / "anywhere"; _EN_WORLDWIDE names one of three.
_EN_STARTS = (literal_starts(("remote",)), literal_starts(("anywhere",)))
_WORLDWIDE_WORDS = literal_starts(("anywhere", "worldwide", "global"))
# The first three patterns all need "<located word> in/within" (or "residents of"): one scan for
# that decides whether the three slower scans run at all.
_LOCATED_IN = re.compile(
    r"(?:reside|resident|residents|residing|live|living|located|based)\s+(?:in|within)\s|residents of\s",
    re.IGNORECASE,
)
# Characters each of _JA_PATTERNS needs.
_JA_TRIGGERS = tuple(literal_starts(marks) for marks in (("在住", "居住"), ("どこ", "全域"), ("海外",), ("海外",)))
# The words every match of each pattern starts with (lower case), found in the field readers'
# one literal pass: a pattern is tried only there (the same matches as scanning the whole text).
_LOCATED_IN_GROUP = FIELD_LITERALS.add(("reside", "resident", "residing", "live", "living", "located", "based"))
_EN_GROUPS = tuple(FIELD_LITERALS.add(words) for words in (
    ("must", "should", "need to", "needs to", "required to", "have to"),
    ("candidate", "applicant", "professionals", "individuals", "people", "talent", "someone", "anyone", "those",
     "engineer", "specialist", "assessor", "role", "position", "job", "you"),
    ("open ", "only open to", "restricted to", "limited to"),
    ("remote",),
    ("anywhere",),
))
_WORLDWIDE_GROUP = FIELD_LITERALS.add(("anywhere", "worldwide", "global"))
_WORLDWIDE_STARTS_GROUP = FIELD_LITERALS.add(("anywhere in the world", "work", "remote", "worldwide", "globally"))
_JA_GROUPS = tuple(
    (FIELD_LITERALS.add(marks), FIELD_LITERALS.add(starts))
    for marks, starts in (
        (("在住", "居住"), ("日本", "国内")),
        (("どこ", "全域"), ("日本", "国内", "全国")),
        (("海外",), ("海外",)),
        (("海外",), ("海外",)),
    )
)
_PHRASE_PARTS = re.compile(r"\s*(?:,|/|\bor\b|\band\b|&)\s*", re.IGNORECASE)


def _phrase_regions(phrase: str, at_end: bool = False) -> list[str]:
    """Regions named at the start of each part of a phrase ("the EU or UK", "United States and
    be ...": the longest leading run of up to four words that names a place), or at its end
    (``at_end``: "this role is US" before "only")."""
    found: list[str] = []
    for part in _PHRASE_PARTS.split(phrase):
        words = part.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        for size in range(min(4, len(words)), 0, -1):
            region = _resolve_name(" ".join(words[-size:] if at_end else words[:size]))
            if region:
                _add(found, region)
                break
    return found


def _places_before_only(folded: str) -> list[str]:
    """The runs of up to four words that end right before each "only" (what _ONLY finds)."""
    places: list[str] = []
    after_last = 0
    for word in _ONLY_WORD.finditer(folded):
        begin = max(after_last, word.start() - _ONLY_REACH)
        place = _ONLY_PLACE.search(folded, begin, word.start())
        if place is not None:
            places.append(place.group("place"))
        after_last = word.end()
    return places


def regions_from_text(text: str) -> list[str]:
    """Regions a description states a remote worker must be in (see the module docstring)."""
    if not text:
        return []
    folded = fold(text[:_MAX_TEXT])
    lowered = folded.lower()
    found: list[str] = []
    if "only" in lowered:
        for place in _places_before_only(folded):
            for region in _phrase_regions(place, at_end=True):
                _add(found, region)
    if not positions_line_up(folded, lowered):
        return _text_regions_scanning_all(folded, lowered, found)
    positions = FIELD_LITERALS.positions(lowered)
    located_in = search_at(_LOCATED_IN, folded, positions[_LOCATED_IN_GROUP]) is not None
    for index, (pattern, group) in enumerate(zip(_EN_PATTERNS, _EN_GROUPS, strict=True)):
        if index < 3 and not located_in:
            continue
        for match in finditer_at(pattern, folded, positions[group]):
            for region in _phrase_regions(match.group("place")):
                _add(found, region)
    for (ja_pattern, region), (marks, starts) in zip(_JA_PATTERNS, _JA_GROUPS, strict=True):
        if positions[marks] and search_at(ja_pattern, folded, positions[starts]):
            _add(found, region)
    if not found and positions[_WORLDWIDE_GROUP] and search_at(
        _EN_WORLDWIDE, folded, positions[_WORLDWIDE_STARTS_GROUP]
    ):
        found.append(ANYWHERE)
    return found


def _text_regions_scanning_all(folded: str, lowered: str, found: list[str]) -> list[str]:
    """The rest of regions_from_text for a text whose lower-case offsets do not line up with
    it: each pattern that may match is run over the whole text."""
    gates = (_LOCATED_IN.search(folded) is not None,) * 3 + tuple(s.search(lowered) is not None for s in _EN_STARTS)
    for pattern, may_match in zip(_EN_PATTERNS, gates, strict=True):
        if not may_match:
            continue  # the pattern cannot match: skip its slow scan of a long description
        for match in pattern.finditer(folded):
            for region in _phrase_regions(match.group("place")):
                _add(found, region)
    for (ja_pattern, region), marks in zip(_JA_PATTERNS, _JA_TRIGGERS, strict=True):
        if marks.search(folded) is not None and ja_pattern.search(folded):
            _add(found, region)
    if not found and _WORLDWIDE_WORDS.search(lowered) and _EN_WORLDWIDE.search(folded):
        found.append(ANYWHERE)
    return found


def remote_regions(remote: str | None, places: Iterable[object] = (), text: str = "") -> list[str]:
    """Where a remote or hybrid job may be done from: structured places first, then the text;
    [] for on-site or unknown work modes and when nothing is stated. Never raises on odd input."""
    if remote not in ("remote", "hybrid"):
        return []
    try:
        found = regions_from_places(places, remote)
        if not found and isinstance(text, str):
            found = regions_from_text(text)
    except (TypeError, ValueError, AttributeError):
        return []
    if ANYWHERE in found and len(found) > 1:
        found.remove(ANYWHERE)  # "Anywhere in the US" plus "Anywhere": the narrower statement holds
    return found
