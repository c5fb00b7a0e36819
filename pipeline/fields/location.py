"""Locations from schema.org jobLocation, ATS location objects and free location strings.

Output (:class:`pipeline.canonical.Location`): ``country`` as ISO 3166-1 alpha-2, ``region`` as
the Japanese prefecture in kanji (東京都, even when the source says "Tokyo" or "JP-13") or the US
state's postal code ("CA"), else the region as written; ``locality`` as written (for Japanese
addresses, the municipality: 新宿区, 名古屋市昭和区, 度会郡南伊勢町); ``postal_code`` as written.

Reading rules for free strings, chosen from the real strings in Greenhouse boards, RemoteOK,
求人ボックス and Hello Work:

- several places are separated by ";", "|", "/" or " or "; each becomes one Location;
- work-mode words (Remote, Hybrid, Home based, In-Office, "(HQ)") are not places and are
  dropped here (:mod:`pipeline.fields.remote` reads them);
- "City, XX" where XX is a US state code is a US city ("Atlanta, GA" is Georgia the state);
- a Japanese token naming a prefecture fills ``region`` and is not repeated as ``locality``
  ("Tokyo, Japan" -> JP / 東京都 / None; "Osaka" likewise means 大阪府);
- a Japanese municipality without its prefecture (名古屋市 栄駅) gets the prefecture from the
  table of designated cities, prefectural capitals and cities seen in the data; an unknown
  municipality keeps ``region`` None but still says JP.

The tables live in ``pipeline/vocab/places.json`` (47 prefectures with JIS codes, ISO 3166-2
codes, romaji; US states; ISO 3166 country names from tzdata's public-domain iso3166.tab with
common aliases; a few hundred city names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from pipeline import VOCAB_DIR
from pipeline.canonical import Location
from pipeline.text.normalize import fold

__all__ = ["normalize_locations", "prefecture_iso_code", "resolve_country", "resolve_prefecture", "resolve_us_state"]

_VOCAB_PATH = VOCAB_DIR / "places.json"
_WS = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")
_JAPAN_PREFIX = re.compile(r"^(?:日本|Japan)[\s,、]*", re.IGNORECASE)
_BASE_CITY = re.compile(r"^.+?市(?:市)?")
_MAX_DEPTH = 5
_MAX_ITEMS = 50


class _Vocab:
    """Lookup tables built once from places.json (keys are folded and lower-cased)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.prefecture: dict[str, str] = {}
        self.prefecture_iso: dict[str, str] = {}
        self.prefecture_kanji: list[str] = []
        self.prefecture_short: dict[str, str] = {}
        for pref in data["prefectures"]:
            kanji = pref["name"]
            self.prefecture_kanji.append(kanji)
            self.prefecture_iso[kanji] = pref["iso"]
            self.prefecture_short[pref["short"]] = kanji
            for key in [kanji, pref["short"], pref["iso"], pref["code"], *pref["aliases"]]:
                self.prefecture[_key(key)] = kanji
        self.jp_city: dict[str, str] = dict(data["jp_cities"])
        self.jp_city_romaji: dict[str, str] = {_key(k): v for k, v in data["jp_cities_romaji"].items()}
        self.us_state_code: dict[str, str] = {}
        for code, name in data["us_states"].items():
            self.us_state_code[_key(code)] = code
            self.us_state_code[_key(name)] = code
        self.us_codes = frozenset(data["us_states"])
        self.country: dict[str, str] = {}
        for code, names in data["countries"].items():
            self.country[_key(code)] = code
            for name in names:
                self.country[_key(name)] = code
        self.world_city: dict[str, str] = {_key(k): v for k, v in data["world_cities"].items()}
        # Longest first so 神奈川県 is tried before shorter names inside other strings.
        self.prefecture_pattern = re.compile(
            "|".join(sorted((re.escape(k) for k in self.prefecture_kanji), key=len, reverse=True))
        )
        self.prefecture_short_pattern = re.compile(
            "^(" + "|".join(sorted(map(re.escape, self.prefecture_short), key=len, reverse=True)) + r")(?=[\s,、]|$)"
        )


def _key(text: str) -> str:
    if len(text) <= _CACHEABLE_KEY:
        return _key_cached(text)
    return _WS.sub(" ", fold(text).strip().lower().replace(".", ""))


# Keys are looked up for every country, region and city field of every listing; the same few
# thousand short strings come back all through a run.
_CACHEABLE_KEY = 100


@lru_cache(maxsize=16_384)
def _key_cached(text: str) -> str:
    return _WS.sub(" ", fold(text).strip().lower().replace(".", ""))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    with _VOCAB_PATH.open(encoding="utf-8") as handle:
        return _Vocab(json.load(handle))


def resolve_country(value: object) -> str | None:
    """ISO alpha-2 code for a code, an English/Japanese name or a schema.org Country object."""
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("identifier") or value.get("addressCountry")
    if not isinstance(value, str) or not value.strip():
        return None
    return _vocab().country.get(_key(value))


def resolve_prefecture(value: object) -> str | None:
    """The prefecture in kanji for 東京都, 東京, "Tokyo", "Tokyo-to", "JP-13" or "13"; else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _vocab().prefecture.get(_key(value))


def resolve_us_state(value: object) -> str | None:
    """The US state's postal code for its name ("California") or its code ("CA"); else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _vocab().us_state_code.get(_key(value))


def prefecture_iso_code(prefecture: str) -> str | None:
    """ISO 3166-2 code (JP-13) of a prefecture given in kanji."""
    return _vocab().prefecture_iso.get(prefecture)


# --------------------------------------------------------------------------- Japanese addresses

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_POSTAL_JP = re.compile(r"(?:〒\s*)?(\d{3}-\d{4})")
_GUN = re.compile(r"^([^\s\d,]+?郡)([^\s\d,]+?[町村])")
_CITY = re.compile(r"^([^\s\d,][^\s\d,]*?市)")
_WARD_AFTER_CITY = re.compile(r"^\s?([^\s\d,]{1,4}区)")
_WARD = re.compile(r"^([^\s\d,]+?区)")
_TOWN = re.compile(r"^([^\s\d,]+?[町村])")
_DROP_PAREN = re.compile(r"[\(（\[【][^\)）\]】]*[\)）\]】]")


def _municipality(rest: str) -> str | None:
    rest = rest.strip()
    if not rest:
        return None
    match = _GUN.match(rest)
    if match:
        return match.group(1) + match.group(2)
    match = _CITY.match(rest)
    if match:
        city_end = match.end()
        if rest[city_end : city_end + 1] == "市":  # 四日市市, 廿日市市
            city_end += 1
        city = rest[:city_end]
        ward = _WARD_AFTER_CITY.match(rest[city_end:])  # 名古屋市昭和区, 京都市 中京区
        return city + ward.group(1) if ward else city
    match = _WARD.match(rest)
    if match:
        return match.group(1)
    match = _TOWN.match(rest)
    if match:
        return match.group(1)
    return None


def _parse_japanese(text: str) -> Location | None:
    vocab = _vocab()
    folded = _DROP_PAREN.sub(" ", fold(text)).strip()
    postal_match = _POSTAL_JP.search(folded)
    postal = postal_match.group(1) if postal_match else None
    if postal_match:
        folded = (folded[: postal_match.start()] + folded[postal_match.end() :]).strip()
    folded = _JAPAN_PREFIX.sub("", folded)
    region = None
    match = vocab.prefecture_pattern.search(folded)
    if match and match.start() <= 3:
        region = match.group(0)
        rest = folded[match.end() :]
    else:
        short = vocab.prefecture_short_pattern.match(folded)
        if short:
            region = vocab.prefecture_short[short.group(1)]
            rest = folded[short.end() :]
        else:
            rest = folded
    rest = rest.lstrip(" ,、")
    locality = _municipality(rest)
    if region is None and locality:
        city = locality.split("郡")[0] + "郡" if "郡" in locality else locality
        base_city = _BASE_CITY.match(city)
        region = vocab.jp_city.get(base_city.group(0) if base_city else city)
    if region is None and locality is None:
        return None
    return Location(country="JP", region=region, locality=locality, postal_code=postal)


# --------------------------------------------------------------------------- free strings

_SPLIT_PLACES = re.compile(r"\s*(?:;|\||/|／|\bor\b)\s*", re.IGNORECASE)
_MODE_WORDS = re.compile(
    r"\b(?:fully\s+)?remote(?:\s+first)?\b|\bhybrid\b|\bhome[- ]based\b|\bwork from home\b|\bin[- ]office\b"
    r"|\boffice[- ]based\b|\bon[- ]?site\b|\banywhere\b|\bworldwide\b|\bglobal\b|\bflexibility\b"
    r"|\boffice\b|\bhq\b|\bheadquarters\b|\bprefecture\b|\bmetro(?:politan)? area\b|\barea\b|\bonly\b"
    r"|\bbased\b|フルリモート|リモート|在宅",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([^)]*)\)")
_DASH_SPLIT = re.compile(r"\s+-\s+")
_TRAILING_COUNTRY = re.compile(r"^(.+?)[\s-]+([^\s-]+)$")
# "(ON, AB, BC, or NS Only)": a bracketed list qualifies the place before it; it is not a place.
_QUALIFIER_PAREN = re.compile(r"\([^)]*(?:,|\bor\b|\bonly\b)[^)]*\)", re.IGNORECASE)


def _tokens(piece: str) -> list[str]:
    inner = [p for p in _PAREN.findall(piece) if p.strip()]
    piece = _PAREN.sub(" ", piece)
    cleaned = _clean_parts(piece)
    if not cleaned:  # "Remote (United States)": the place is the bracketed part
        for part in inner:
            cleaned.extend(_clean_parts(part))
    return cleaned


def _clean_parts(piece: str) -> list[str]:
    parts = _COMMA.split(piece)
    if len(parts) == 1:
        parts = _DASH_SPLIT.split(piece)
    cleaned = []
    for part in parts:
        part = _MODE_WORDS.sub(" ", part)
        part = _WS.sub(" ", part).strip(" -,.:")
        if part:
            cleaned.append(part)
    return cleaned


def _known_place(token: str) -> bool:
    """A whole token that names a place ("New Jersey", "Papua New Guinea") is never split."""
    vocab = _vocab()
    key = _key(token)
    return any(
        key in table
        for table in (vocab.country, vocab.us_state_code, vocab.prefecture, vocab.world_city, vocab.jp_city_romaji)
    )


def _parse_place(piece: str) -> Location | None:
    vocab = _vocab()
    if _CJK.search(piece):
        parts = [p.strip() for p in _COMMA.split(fold(piece)) if p.strip()]
        cjk_parts = [p for p in parts if _CJK.search(p)]
        latin = [p for p in parts if not _CJK.search(p)]
        found = _parse_japanese(" ".join(cjk_parts))
        countries = {vocab.country.get(_key(p)) for p in latin} - {None}
        if found is not None:
            if countries and "JP" not in countries:
                found["country"] = next(iter(countries))
            return found
        if cjk_parts and resolve_country(cjk_parts[0]):
            return Location(country=resolve_country(cjk_parts[0]), region=None, locality=None, postal_code=None)
        if not latin:
            return None
        piece = ", ".join(latin)
    tokens = _tokens(fold(piece))
    if not tokens:
        return None
    if len(tokens) == 1 and not _known_place(tokens[0]):
        tail = _TRAILING_COUNTRY.match(tokens[0])  # "Tokyo Japan", "Tokyo-Japan"
        if tail and _key(tail.group(2)) in vocab.country and len(tail.group(2)) > 2:
            tokens = [tail.group(1), tail.group(2)]
    country: str | None = None
    region: str | None = None
    locality: str | None = None
    rest = list(tokens)

    last = rest[-1]
    if len(rest) >= 2 and last.upper() in vocab.us_codes and len(last) == 2 and last.isupper():
        country, region = "US", last.upper()
        rest.pop()
    elif _key(last) in vocab.country and not (
        len(rest) == 1 and _key(last) in vocab.us_state_code and len(last) > 2 and _key(last) not in ("georgia",)
    ):
        country = vocab.country[_key(last)]
        rest.pop()
    elif len(rest) >= 2 and _key(rest[0]) in vocab.country:  # "Brazil - Rio de Janeiro", "UK - London"
        country = vocab.country[_key(rest[0])]
        rest.pop(0)

    if country in (None, "US") and region is None:
        for index in range(len(rest) - 1, -1, -1):
            if index == 0 and len(rest) > 1:
                break
            code = vocab.us_state_code.get(_key(rest[index]))
            if code and (len(rest[index]) > 2 or rest[index].isupper()):
                region = region or code
                country = "US"
                rest.pop(index)
                break
    if country in (None, "JP"):
        for index, token in enumerate(rest):
            pref = vocab.prefecture.get(_key(token))
            if pref:
                region, country = pref, "JP"
                rest.pop(index)
                break
        else:
            for token in rest:
                pref = vocab.jp_city_romaji.get(_key(token))
                if pref and (country == "JP" or region is None):
                    region, country = pref, "JP"
                    break
    if rest:
        locality = rest[0]
        if len(rest) >= 2 and region is None:
            region = rest[1]
    if country is None and locality is not None:
        country = vocab.world_city.get(_key(locality))
    if country is None and region is None and locality is None:
        return None
    return Location(country=country, region=region, locality=locality, postal_code=None)


_CACHEABLE = 300


def _parse_text(text: str) -> list[Location]:
    """Locations in a free string; short strings (the usual case, heavily repeated across a
    run: 40,786 Greenhouse jobs use 6,600 distinct location strings) are parsed once."""
    if len(text) <= _CACHEABLE:
        return [Location(country=c, region=r, locality=t, postal_code=p) for c, r, t, p in _parse_text_cached(text)]
    return _parse_text_uncached(text)


@lru_cache(maxsize=32_768)
def _parse_text_cached(text: str) -> tuple[tuple[str | None, str | None, str | None, str | None], ...]:
    return tuple(
        (found["country"], found["region"], found["locality"], found["postal_code"])
        for found in _parse_text_uncached(text)
    )


def _parse_text_uncached(text: str) -> list[Location]:
    folded = _QUALIFIER_PAREN.sub(" ", fold(text)).strip()
    if not folded:
        return []
    if _CJK.search(folded) and ";" not in folded and "|" not in folded:
        pieces = [folded]  # "東京都新宿区西新宿5丁目-1-1" keeps its hyphens and slashes
    else:
        pieces = [p for p in _SPLIT_PLACES.split(folded) if p.strip()]
    found = []
    for piece in pieces[:_MAX_ITEMS]:
        location = _parse_place(piece)
        if location is not None:
            found.append(location)
    return found


# --------------------------------------------------------------------------- structured values


def _text_field(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Mapping):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    return None


def _from_address(address: Mapping[str, object]) -> Location | None:
    """A schema.org PostalAddress (also Ashby's postalAddress, SmartRecruiters, USAJOBS keys)."""
    vocab = _vocab()
    country_raw = address.get("addressCountry", address.get("country", address.get("CountryCode")))
    country = resolve_country(country_raw)
    region = _text_field(address.get("addressRegion", address.get("region", address.get("CountrySubDivisionCode"))))
    locality = _text_field(address.get("addressLocality", address.get("city", address.get("CityName"))))
    postal = _text_field(address.get("postalCode"))
    street = _text_field(address.get("streetAddress"))
    if locality and region and locality.endswith(", " + region):
        locality = locality[: -len(region) - 2]  # USAJOBS CityName "Fort Meade, Maryland"
    pref = resolve_prefecture(region) if region else None
    if country is None and pref and region and _CJK.search(region):
        country = "JP"
    if country == "JP" or (country is None and any(_CJK.search(v or "") for v in (region, locality))):
        country = "JP"
        if pref:
            region = pref
        if locality and _CJK.search(locality):
            parsed = _parse_japanese(locality)
            if parsed:
                region = region if pref else parsed["region"] or region
                locality = parsed["locality"] or locality
        if region is None or resolve_prefecture(region) is None:
            for candidate in (street, locality):
                parsed = _parse_japanese(candidate) if candidate else None
                if parsed and parsed["region"]:
                    region = parsed["region"]
                    locality = locality or parsed["locality"]
                    break
    elif region:
        state = vocab.us_state_code.get(_key(region))
        if state and (country == "US" or (country is None and len(region) > 2)):
            region, country = state, "US"
    if not any((country, region, locality, postal)):
        return None
    return Location(country=country, region=region, locality=locality, postal_code=postal)


_ADDRESS_KEYS = ("addressCountry", "addressRegion", "addressLocality", "postalCode", "streetAddress")
_ATS_KEYS = ("CityName", "CountryCode", "CountrySubDivisionCode", "city", "country", "region")
_NAME_KEYS = ("fullLocation", "LocationName", "name", "location", "locationName", "text")


def _collect(value: object, out: list[Location], depth: int) -> None:
    if depth > _MAX_DEPTH or value is None or isinstance(value, bool) or len(out) >= _MAX_ITEMS:
        return
    if isinstance(value, str):
        out.extend(_parse_text(value[:2000]))
        return
    if isinstance(value, Mapping):
        address = value.get("address")
        if isinstance(address, Mapping) and isinstance(address.get("postalAddress"), Mapping):
            address = address["postalAddress"]
        if isinstance(value.get("postalAddress"), Mapping):
            address = value["postalAddress"]
        if isinstance(address, Mapping):
            found = _from_address(address)
            if found is not None:
                out.append(found)
                return
        elif isinstance(address, str) and address.strip():
            before = len(out)
            out.extend(_parse_text(address[:2000]))
            if len(out) > before:
                return
        if any(key in value for key in _ADDRESS_KEYS + _ATS_KEYS):
            found = _from_address(value)
            if found is not None:
                out.append(found)
                return
        for key in _NAME_KEYS:
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                out.extend(_parse_text(inner[:2000]))
                return
            if isinstance(inner, Mapping):
                _collect(inner, out, depth + 1)
                return
        return
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        for item in list(value)[:_MAX_ITEMS]:
            _collect(item, out, depth + 1)


def normalize_locations(job_location: object, address_text: str | None = None) -> list[Location]:
    """Every place a listing names, deduplicated, in order.

    ``job_location`` may be a schema.org Place or a list of them (address as PostalAddress or
    string, addressCountry as code, name or Country object), an ATS location object (Greenhouse
    ``{"name": ...}``, Ashby ``{"address": {"postalAddress": ...}}``, SmartRecruiters
    ``{"city", "region", "country"}``, USAJOBS ``PositionLocation`` items) or a free string.
    ``address_text`` (a 勤務地 line, a "Tokyo, Japan" field) is read when ``job_location``
    yields nothing. Never raises; unusable input gives ``[]``.
    """
    found: list[Location] = []
    try:
        _collect(job_location, found, 0)
        if not found and isinstance(address_text, str):
            found.extend(_parse_text(address_text[:2000]))
    except (TypeError, ValueError, AttributeError, KeyError):
        return []
    unique: list[Location] = []
    seen: set[tuple[str | None, ...]] = set()
    for location in found:
        key = (location["country"], location["region"], location["locality"], location["postal_code"])
        if key not in seen:
            seen.add(key)
            unique.append(location)
    return unique
