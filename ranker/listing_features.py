"""Per-listing columns that the filters and scorers read, as numpy arrays.

Why arrays: a request must judge every open listing against every hard constraint. At
100,000 listings a Python loop over row dicts costs hundreds of milliseconds per request; a
comparison over a precomputed array costs well under one. So everything a constraint or a
score needs is turned into a number once per snapshot (region codes, an employment-type
bitmask, weekly hours, yearly pay by currency, RIASEC vectors) and saved beside the snapshot
version, so the next process that serves the same snapshot loads it instead of rebuilding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.canonical import EMPLOYMENT_TYPES

RIASEC = ("R", "I", "A", "S", "E", "C")
REMOTE_CODES = {"onsite": 0, "hybrid": 1, "remote": 2}
ETYPE_BITS = {name: 1 << i for i, name in enumerate(EMPLOYMENT_TYPES)}
# Rough conversion of pay to a yearly figure, only to compare a listing's pay with the
# profile's minimum in the same currency (2,080 working hours, 260 days, 52 weeks a year).
PER_YEAR = {"HOUR": 2080.0, "DAY": 260.0, "WEEK": 52.0, "MONTH": 12.0, "YEAR": 1.0}
# A listing that is only full-time and says nothing of its hours is taken as this many hours a week.
FULL_TIME_ASSUMED_HOURS = 35.0


def fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold().strip()


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
    employer: np.ndarray  # int32 code of the employer (normalized name, else name); 0 = not stated
    title: np.ndarray  # int32 code of the folded title
    riasec: np.ndarray  # float32 (n, 6) interest shape of the listing's occupation; zeros = unknown
    supportiveness: np.ndarray  # float32
    tag_matrix: np.ndarray  # bool (tags, n): listing signal or employer registry tag present
    currencies: list[str]
    countries: list[str]
    regions: list[str]
    localities: list[str]
    tags: list[str]

    @property
    def size(self) -> int:
        return len(self.static_open)

    def tag_masks(self) -> dict[str, np.ndarray]:
        return {tag: self.tag_matrix[i] for i, tag in enumerate(self.tags)}

    def save(self, path: Path) -> None:
        lists = ("currencies", "countries", "regions", "localities", "tags")
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
                if f.name in ("currencies", "countries", "regions", "localities", "tags"):
                    values[f.name] = [str(v) for v in array.tolist()]
                else:
                    values[f.name] = array
        return cls(**values)


def _interest_lookup() -> Any:
    """occupation_interests of pipeline.occupations, or None when that package cannot load."""
    try:
        from pipeline.occupations import occupation_interests
    except ImportError:  # the occupation tables are optional for the ranker
        return None
    return occupation_interests


def build_features(rows: Iterable[dict[str, Any]]) -> ListingFeatures:
    rows = list(rows)
    n = len(rows)
    static_open = np.zeros(n, dtype=bool)
    valid_through = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    remote = np.full(n, -1, dtype=np.int8)
    etype_bits = np.zeros(n, dtype=np.uint16)
    hours_min = np.full(n, np.nan, dtype=np.float32)
    hours_inferred = np.zeros(n, dtype=bool)
    pay_currency = np.zeros(n, dtype=np.int16)
    pay_yearly = np.full(n, np.nan, dtype=np.float64)
    has_location = np.zeros(n, dtype=bool)
    employer = np.zeros(n, dtype=np.int32)
    title = np.zeros(n, dtype=np.int32)
    riasec = np.zeros((n, 6), dtype=np.float32)
    support = np.zeros(n, dtype=np.float32)
    loc_owner: list[int] = []
    loc_country: list[int] = []
    loc_region: list[int] = []
    loc_locality: list[int] = []
    currencies, countries, regions, localities = _Vocab(), _Vocab(), _Vocab(), _Vocab()
    employers, titles = _Vocab(), _Vocab()
    tag_rows: dict[str, list[int]] = {}
    lookup = _interest_lookup()
    shapes: dict[tuple[str, str], np.ndarray] = {}

    for i, row in enumerate(rows):
        static_open[i] = row.get("status") == "open" and row.get("duplicate_of") is None
        until = row.get("valid_through")
        if until:
            if isinstance(until, datetime) and until.tzinfo is not None:
                until = until.replace(tzinfo=None)
            valid_through[i] = np.datetime64(until, "s")
        remote[i] = REMOTE_CODES.get(row.get("remote") or "", -1)
        for kind in row.get("employment_types") or []:
            etype_bits[i] |= ETYPE_BITS.get(kind, ETYPE_BITS["OTHER"])
        hours, inferred = listing_hours_min(row)
        if hours is not None:
            hours_min[i] = hours
            hours_inferred[i] = inferred
        salary = row.get("salary") or {}
        if salary.get("currency"):
            pay_currency[i] = currencies.code(str(salary["currency"]).upper())
            top = salary.get("max") if salary.get("max") is not None else salary.get("min")
            per_year = yearly(top, salary.get("unit"))
            if per_year is not None:
                pay_yearly[i] = per_year
        places = row.get("locations") or []
        has_location[i] = bool(places)
        for place in places:
            loc_owner.append(i)
            loc_country.append(countries.code(fold(place.get("country"))))
            loc_region.append(regions.code(fold(place.get("region"))))
            loc_locality.append(localities.code(fold(place.get("locality"))))
        boss = row.get("employer") or {}
        employer[i] = employers.code(fold(boss.get("normalized_name") or boss.get("name")))
        title[i] = titles.code(fold(row.get("title")))
        support[i] = float(row.get("supportiveness") or 0.0)
        for signal in [*(row.get("signals") or []), *(boss.get("registry_tags") or [])]:
            members = tag_rows.setdefault(signal["tag"], [])
            if not members or members[-1] != i:
                members.append(i)
        occupation = row.get("occupation") or {}
        if lookup is not None and occupation.get("code") and occupation.get("taxonomy"):
            key = (str(occupation["taxonomy"]), str(occupation["code"]))
            if key not in shapes:
                try:
                    shapes[key] = interest_shape(lookup(*key))
                except (ValueError, KeyError, LookupError):
                    shapes[key] = np.zeros(6, dtype=np.float32)
            riasec[i] = shapes[key]

    tags = sorted(tag_rows)
    tag_matrix = np.zeros((len(tags), n), dtype=bool)
    for t, tag in enumerate(tags):
        tag_matrix[t, tag_rows[tag]] = True
    return ListingFeatures(
        static_open=static_open, valid_through=valid_through, remote=remote, etype_bits=etype_bits,
        hours_min=hours_min, hours_inferred=hours_inferred, pay_currency=pay_currency, pay_yearly=pay_yearly,
        loc_owner=np.array(loc_owner, dtype=np.int32), loc_country=np.array(loc_country, dtype=np.int32),
        loc_region=np.array(loc_region, dtype=np.int32), loc_locality=np.array(loc_locality, dtype=np.int32),
        has_location=has_location, employer=employer, title=title, riasec=riasec, supportiveness=support,
        tag_matrix=tag_matrix, currencies=currencies.values, countries=countries.values, regions=regions.values,
        localities=localities.values, tags=tags,
    )
