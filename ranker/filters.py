"""Hard constraints of a profile, one mask each, so the ranker can tell which one is the
narrowest and mark nearest matches with the constraint they miss.

Unknown is not failure: a listing that does not state its hours or pay passes the constraint
and carries a caveat instead ("pay not stated"), because excluding it would hide jobs for
missing paperwork, not for a real mismatch.

Every mask is computed over the snapshot's precomputed arrays (ranker.listing_features):
place names are matched once per distinct value, not once per listing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.text.fold import fold_key
from ranker.listing_features import ETYPE_BITS, FULL_TIME_ASSUMED_HOURS, listing_hours_min, yearly
from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex

__all__ = ["FULL_TIME_ASSUMED_HOURS", "ConstraintResult", "evaluate", "listing_hours_min"]


@dataclass
class ConstraintResult:
    name: str  # remote | location | employment_type | hours | min_salary | avoid
    passes: np.ndarray  # bool per listing
    description: str  # what the constraint asks, in words


def _matching_values(values: list[str], wanted: str, two_way: bool) -> np.ndarray:
    """Which vocabulary entries match the wanted value (empty wanted matches everything).

    Regions match either way round (東京 / 東京都); localities only when the wanted name is part
    of the listing's. Code 0 (not stated) never matches a stated wish.
    """
    if not wanted:
        return np.ones(len(values), dtype=bool)
    hits = np.zeros(len(values), dtype=bool)
    for code, value in enumerate(values):
        if code and (wanted in value or (two_way and value in wanted)):
            hits[code] = True
    return hits


def location_mask(index: ServingIndex, places: list[tuple[str, str, str]], remote_ok: bool) -> np.ndarray:
    f = index.features
    n = len(index)
    place_ok = np.zeros(len(f.loc_owner), dtype=bool)
    for country, region, locality in places:
        country_ok = np.array([not country or not value or value == country for value in f.countries], dtype=bool)
        ok = country_ok[f.loc_country]
        ok &= _matching_values(f.regions, region, two_way=True)[f.loc_region]
        ok &= _matching_values(f.localities, locality, two_way=False)[f.loc_locality]
        place_ok |= ok
    passes = np.bincount(f.loc_owner[place_ok], minlength=n).astype(bool) if n else np.zeros(0, dtype=bool)
    passes |= ~f.has_location  # not stated: caveat, not exclusion
    if remote_ok:
        passes |= f.remote == 2
    return passes


def evaluate(profile: AptitudeProfile, index: ServingIndex) -> list[ConstraintResult]:
    f = index.features
    n = len(index)
    c = profile.constraints
    results: list[ConstraintResult] = []

    if c.remote == "required":
        results.append(ConstraintResult("remote", f.remote == 2, "fully remote work"))
    elif c.remote == "avoid":
        results.append(ConstraintResult("remote", f.remote != 2, "a workplace to go to (not fully remote)"))

    if c.locations:
        wanted = [(fold_key(p.country), fold_key(p.region), fold_key(p.locality)) for p in c.locations]
        passes = location_mask(index, wanted, remote_ok=c.remote != "avoid")
        places = ", ".join(filter(None, (p.locality or p.region or p.country for p in c.locations)))
        results.append(ConstraintResult("location", passes, f"work in {places}"))

    if c.employment_types:
        bits = 0
        for kind in c.employment_types:
            bits |= ETYPE_BITS[kind]
        passes = (f.etype_bits == 0) | ((f.etype_bits & np.uint16(bits)) != 0)
        results.append(ConstraintResult("employment_type", passes, "employment type " + "/".join(c.employment_types)))

    if c.max_hours_per_week is not None:
        limit = c.max_hours_per_week
        with np.errstate(invalid="ignore"):
            passes = np.isnan(f.hours_min) | (f.hours_min <= limit)
        results.append(ConstraintResult("hours", passes, f"at most {limit:g} hours a week"))

    if c.min_salary is not None:
        wanted_year = yearly(c.min_salary.amount, c.min_salary.unit)
        passes = np.ones(n, dtype=bool)
        if c.min_salary.currency in f.currencies and wanted_year is not None:
            code = f.currencies.index(c.min_salary.currency)
            with np.errstate(invalid="ignore"):
                too_low = (f.pay_currency == code) & (f.pay_yearly < wanted_year)
            passes = ~too_low
        results.append(
            ConstraintResult(
                "min_salary", passes,
                f"pay of at least {c.min_salary.amount:g} {c.min_salary.currency} per {c.min_salary.unit.lower()}",
            )
        )

    if profile.avoid:
        passes = np.ones(n, dtype=bool)
        for tag in profile.avoid:
            mask = index.tag_mask(tag)
            if mask is not None:
                passes &= ~mask
        results.append(ConstraintResult("avoid", passes, "none of: " + ", ".join(profile.avoid)))
    return results
