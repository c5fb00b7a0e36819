"""Per-listing columns that the filters and scorers read, as numpy arrays.

Why arrays: a request must judge every open listing against every hard constraint. At
100,000 listings a Python loop over row dicts costs hundreds of milliseconds per request; a
comparison over a precomputed array costs well under one. So everything a constraint or a
score needs is turned into a number once per snapshot (region codes, an employment-type
bitmask, weekly hours, yearly pay by currency, RIASEC vectors) and saved beside the snapshot
version, so the next process that serves the same snapshot loads it instead of rebuilding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.canonical import EMPLOYMENT_TYPES, SENIORITY_LEVELS
from pipeline.text.fold import fold_key

RIASEC = ("R", "I", "A", "S", "E", "C")
REMOTE_CODES = {"onsite": 0, "hybrid": 1, "remote": 2}
ETYPE_BITS = {name: 1 << i for i, name in enumerate(EMPLOYMENT_TYPES)}
SENIORITY_STEPS = {level: step for step, level in enumerate(SENIORITY_LEVELS)}
# Listing languages as codes: the two ippo reads and writes, and any other stated one.
LANGUAGE_CODES = {"ja": 1, "en": 2, "other": 3}
# Rough conversion of pay to a yearly figure, only to compare a listing's pay with the
# profile's minimum in the same currency (2,080 working hours, 260 days, 52 weeks a year).
PER_YEAR = {"HOUR": 2080.0, "DAY": 260.0, "WEEK": 52.0, "MONTH": 12.0, "YEAR": 1.0}
# A listing that is only full-time and says nothing of its hours is taken as this many hours a week.
FULL_TIME_ASSUMED_HOURS = 35.0


def yearly(amount: float | None, unit: str | None) -> float | None:
    if amount is None or unit not in PER_YEAR:
        return None
    return float(amount) * PER_YEAR[unit]


def listing_hours_min(row: dict[str, Any]) -> tuple[float | None, bool]:
    """(minimum weekly hours, inferred?) of a listing."""
    hours = row.get("hours_per_week") or {}
    if hours.get("min") is not None:
        return float(hours["min"]), False
    if hours.get("max") is not None:
        return float(hours["max"]), False
    if (row.get("employment_types") or []) == ["FULL_TIME"]:
        return FULL_TIME_ASSUMED_HOURS, True
    return None, False


def interest_shape(scores: dict[str, float] | None) -> np.ndarray:
    """A RIASEC profile reduced to its shape: centred on its own mean and scaled to length 1.

    O*NET scores run 1-7, job tag 職業興味 1-5 and a person's answers on any scale; only which
    interests stand out matters, so the dot product of two shapes is their Pearson
    correlation. A flat or missing profile has no shape (the zero vector).
    """
    if not scores:
        return np.zeros(6, dtype=np.float32)
    vector = np.array([float(scores.get(letter, 0.0) or 0.0) for letter in RIASEC], dtype=np.float64)
    vector -= vector.mean()
    norm = np.linalg.norm(vector)
    if norm < 1e-9:
        return np.zeros(6, dtype=np.float32)
    return (vector / norm).astype(np.float32)


class _Vocab:
    """Strings to small integer codes (0 = empty / not stated)."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self._codes: dict[str, int] = {"": 0}

    def code(self, value: str) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found


@dataclass
class ListingFeatures:
    static_open: np.ndarray  # bool: status open and not a duplicate
    valid_through: np.ndarray  # datetime64[s], NaT when not stated
    remote: np.ndarray  # int8: -1 not stated, 0 onsite, 1 hybrid, 2 remote
    etype_bits: np.ndarray  # uint16 bitmask of EMPLOYMENT_TYPES; 0 = not stated
    hours_min: np.ndarray  # float32, NaN = not stated
    hours_inferred: np.ndarray  # bool: hours assumed from FULL_TIME
    pay_currency: np.ndarray  # int16 code into currencies; 0 = none
    pay_yearly: np.ndarray  # float64 top of the stated range per year, NaN = not stated
    loc_owner: np.ndarray  # int32 listing index of each stated place
    loc_country: np.ndarray  # int32 codes into countries
    loc_region: np.ndarray  # int32 codes into regions (folded)
    loc_locality: np.ndarray  # int32 codes into localities (folded)
    has_location: np.ndarray  # bool
    rr_owner: np.ndarray  # int32 listing index of each stated remote region
    rr_code: np.ndarray  # int32 codes into remote_regions (upper-case ISO country code or ANYWHERE)
    rr_stated: np.ndarray  # bool: the listing says where it may be done from (remote_regions not empty)
    employer: np.ndarray  # int32 code of the employer (normalized name, else name); 0 = not stated
    title: np.ndarray  # int32 code of the folded title
    riasec: np.ndarray  # float32 (n, 6) interest shape of the listing's occupation; zeros = unknown
    supportiveness: np.ndarray  # float32
    seniority: np.ndarray  # int8: -1 not stated, else the step in SENIORITY_LEVELS (0 entry ... 3 lead)
    experience_years_min: np.ndarray  # float32 stated minimum years, NaN = not stated
    suspicious: np.ndarray  # bool: commission only, pay to start or MLM found (pipeline.fields.suspicious)
    language: np.ndarray  # int8 code in LANGUAGE_CODES of the listing's language; 0 = not known
    tag_matrix: np.ndarray  # bool (tags, n): listing signal or employer registry tag present
    currencies: list[str]
    countries: list[str]
    regions: list[str]
    localities: list[str]
    remote_regions: list[str]
    tags: list[str]

    @property
    def size(self) -> int:
        return len(self.static_open)

    def tag_masks(self) -> dict[str, np.ndarray]:
        return {tag: self.tag_matrix[i] for i, tag in enumerate(self.tags)}

    def save(self, path: Path) -> None:
        lists = _STRING_LISTS
        arrays: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in lists}
        for name in lists:
            arrays[name] = np.array(getattr(self, name), dtype=np.str_)
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> ListingFeatures:
        with np.load(path, allow_pickle=False) as data:
            values: dict[str, Any] = {}
            for f in fields(cls):
                array = data[f.name]
                if f.name in _STRING_LISTS:
                    values[f.name] = [str(v) for v in array.tolist()]
                else:
                    values[f.name] = array
        return cls(**values)


_STRING_LISTS = ("currencies", "countries", "regions", "localities", "remote_regions", "tags")


def build_features(rows: Iterable[dict[str, Any]]) -> ListingFeatures:
    """The feature arrays of listing rows (snapshot rows, or rows in that shape), stage by stage."""
    rows = list(rows)
    places = _places(rows)
    pay_currency, pay_yearly, currencies = _pay(rows)
    tag_matrix, tags = _tag_matrix(rows)
    remote_regions = _remote_regions(rows)
    hours_min, hours_inferred = _hours(rows)
    return ListingFeatures(
        static_open=np.array([r.get("status") == "open" and r.get("duplicate_of") is None for r in rows], dtype=bool),
        valid_through=_valid_through(rows),
        remote=np.array([REMOTE_CODES.get(r.get("remote") or "", -1) for r in rows], dtype=np.int8),
        etype_bits=np.array([_etype_bits(r) for r in rows], dtype=np.uint16),
        hours_min=hours_min, hours_inferred=hours_inferred, pay_currency=pay_currency, pay_yearly=pay_yearly,
        loc_owner=places.owner, loc_country=places.country, loc_region=places.region, loc_locality=places.locality,
        has_location=np.array([bool(r.get("locations")) for r in rows], dtype=bool),
        rr_owner=remote_regions.owner, rr_code=remote_regions.code, rr_stated=remote_regions.stated,
        employer=_codes(_employer_key(r) for r in rows), title=_codes(fold_key(r.get("title")) for r in rows),
        riasec=_interest_shapes(rows),
        supportiveness=np.array([float(r.get("supportiveness") or 0.0) for r in rows], dtype=np.float32),
        seniority=np.array([SENIORITY_STEPS.get(r.get("seniority") or "", -1) for r in rows], dtype=np.int8),
        experience_years_min=_years_min(rows),
        suspicious=np.array([bool(r.get("suspicious")) for r in rows], dtype=bool),
        language=np.array([language_code(r.get("language")) for r in rows], dtype=np.int8),
        tag_matrix=tag_matrix, currencies=currencies, countries=places.countries, regions=places.regions,
        localities=places.localities, remote_regions=remote_regions.values, tags=tags,
    )


def language_code(language: str | None) -> int:
    """The code of a language (ISO 639-1, as listings and profiles state it); 0 when not known."""
    if not language:
        return 0
    return LANGUAGE_CODES.get(language, LANGUAGE_CODES["other"])


def _valid_through(rows: list[dict[str, Any]]) -> np.ndarray:
    out = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[s]")
    for i, row in enumerate(rows):
        until = row.get("valid_through")
        if until:
            if isinstance(until, datetime) and until.tzinfo is not None:
                until = until.replace(tzinfo=None)
            out[i] = np.datetime64(until, "s")
    return out


def _years_min(rows: list[dict[str, Any]]) -> np.ndarray:
    """Stated minimum years of experience (0 = none needed), NaN where the listing does not say."""
    values = [r.get("experience_years_min") for r in rows]
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float32)


def _etype_bits(row: dict[str, Any]) -> int:
    bits = 0
    for kind in row.get("employment_types") or []:
        bits |= ETYPE_BITS.get(kind, ETYPE_BITS["OTHER"])
    return bits


def _hours(rows: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """(minimum weekly hours, NaN = not stated; inferred from FULL_TIME?)"""
    hours_min = np.full(len(rows), np.nan, dtype=np.float32)
    inferred = np.zeros(len(rows), dtype=bool)
    for i, row in enumerate(rows):
        hours, assumed = listing_hours_min(row)
        if hours is not None:
            hours_min[i], inferred[i] = hours, assumed
    return hours_min, inferred


def _pay(rows: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(currency code, top of the stated range per year, the currencies) of each listing."""
    currency = np.zeros(len(rows), dtype=np.int16)
    per_year = np.full(len(rows), np.nan, dtype=np.float64)
    currencies = _Vocab()
    for i, row in enumerate(rows):
        salary = row.get("salary") or {}
        if not salary.get("currency"):
            continue
        currency[i] = currencies.code(str(salary["currency"]).upper())
        top = salary.get("max") if salary.get("max") is not None else salary.get("min")
        found = yearly(top, salary.get("unit"))
        if found is not None:
            per_year[i] = found
    return currency, per_year, currencies.values


@dataclass
class _Places:
    """Every stated place of every listing, as parallel code arrays."""

    owner: np.ndarray
    country: np.ndarray
    region: np.ndarray
    locality: np.ndarray
    countries: list[str]
    regions: list[str]
    localities: list[str]


def _places(rows: list[dict[str, Any]]) -> _Places:
    owner: list[int] = []
    country: list[int] = []
    region: list[int] = []
    locality: list[int] = []
    countries, regions, localities = _Vocab(), _Vocab(), _Vocab()
    for i, row in enumerate(rows):
        for place in row.get("locations") or []:
            owner.append(i)
            country.append(countries.code(fold_key(place.get("country"))))
            region.append(regions.code(fold_key(place.get("region"))))
            locality.append(localities.code(fold_key(place.get("locality"))))
    return _Places(
        owner=np.array(owner, dtype=np.int32), country=np.array(country, dtype=np.int32),
        region=np.array(region, dtype=np.int32), locality=np.array(locality, dtype=np.int32),
        countries=countries.values, regions=regions.values, localities=localities.values,
    )


@dataclass
class _RemoteRegions:
    """Where each remote listing may be done from: (listing, region code) pairs."""

    owner: np.ndarray
    code: np.ndarray
    stated: np.ndarray
    values: list[str]


ANYWHERE = "ANYWHERE"


def remote_region_values(row: dict[str, Any]) -> list[str]:
    """The listing's remote regions, upper-cased (ISO country codes or ANYWHERE); empty when the
    snapshot has no such column or the listing does not say."""
    return [str(value).strip().upper() for value in row.get("remote_regions") or [] if str(value).strip()]


def _remote_regions(rows: list[dict[str, Any]]) -> _RemoteRegions:
    owner: list[int] = []
    code: list[int] = []
    stated = np.zeros(len(rows), dtype=bool)
    vocab = _Vocab()
    for i, row in enumerate(rows):
        for value in remote_region_values(row):
            owner.append(i)
            code.append(vocab.code(value))
            stated[i] = True
    return _RemoteRegions(owner=np.array(owner, dtype=np.int32), code=np.array(code, dtype=np.int32),
                          stated=stated, values=vocab.values)


def _employer_key(row: dict[str, Any]) -> str:
    boss = row.get("employer") or {}
    return fold_key(boss.get("normalized_name") or boss.get("name"))


def _codes(values: Iterable[str]) -> np.ndarray:
    vocab = _Vocab()
    return np.array([vocab.code(value) for value in values], dtype=np.int32)


def _tag_matrix(rows: list[dict[str, Any]]) -> tuple[np.ndarray, list[str]]:
    """(tags, n) bool matrix: the listing's own signal or its employer's registry tag."""
    members: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        registry = (row.get("employer") or {}).get("registry_tags") or []
        for signal in [*(row.get("signals") or []), *registry]:
            found = members.setdefault(signal["tag"], [])
            if not found or found[-1] != i:
                found.append(i)
    tags = sorted(members)
    matrix = np.zeros((len(tags), len(rows)), dtype=bool)
    for t, tag in enumerate(tags):
        matrix[t, members[tag]] = True
    return matrix, tags


def _interest_shapes(rows: list[dict[str, Any]]) -> np.ndarray:
    """(n, 6) interest shape of each listing's occupation, from the snapshot's
    ``occupation_interests`` column (zeros when unknown); one shape per occupation."""
    riasec = np.zeros((len(rows), 6), dtype=np.float32)
    shapes: dict[tuple[str, str], np.ndarray] = {}
    for i, row in enumerate(rows):
        occupation = row.get("occupation") or {}
        interests = row.get("occupation_interests")
        if not interests or not occupation.get("code") or not occupation.get("taxonomy"):
            continue
        key = (str(occupation["taxonomy"]), str(occupation["code"]))
        if key not in shapes:
            shapes[key] = interest_shape(interests)
        riasec[i] = shapes[key]
    return riasec
