"""Hard constraints of a profile, one mask each, so the ranker can tell which one is the
narrowest and mark nearest matches with the constraint they miss.

Unknown is not failure: a listing that does not state its hours or pay passes the constraint
and carries a caveat instead ("pay not stated"), because excluding it would hide jobs for
missing paperwork, not for a real mismatch.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex

# Rough conversion of pay to a yearly figure, only to compare a listing's pay with the
# profile's minimum in the same currency (2,080 working hours, 260 days, 52 weeks a year).
_PER_YEAR = {"HOUR": 2080.0, "DAY": 260.0, "WEEK": 52.0, "MONTH": 12.0, "YEAR": 1.0}
# A listing that is only full-time and says nothing of its hours is taken as this many hours a week.
FULL_TIME_ASSUMED_HOURS = 35.0


@dataclass
class ConstraintResult:
    name: str  # remote | location | employment_type | hours | min_salary | avoid
    passes: np.ndarray  # bool per listing
    description: str  # what the constraint asks, in words


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold().strip()


def _location_ok(row: dict[str, Any], wanted: list[tuple[str, str, str]], remote_ok: bool) -> bool:
    if remote_ok and row.get("remote") == "remote":
        return True
    locations = row.get("locations") or []
    if not locations:
        return True  # not stated: caveat, not exclusion
    for loc in locations:
        country, region, locality = _fold(loc.get("country")), _fold(loc.get("region")), _fold(loc.get("locality"))
        for w_country, w_region, w_locality in wanted:
            if w_country and country and w_country != country:
                continue
            if w_region and (not region or (w_region not in region and region not in w_region)):
                continue
            if w_locality and (not locality or w_locality not in locality):
                continue
            return True
    return False


def _yearly(amount: float | None, unit: str | None) -> float | None:
    if amount is None or unit not in _PER_YEAR:
        return None
    return float(amount) * _PER_YEAR[unit]


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


def evaluate(profile: AptitudeProfile, index: ServingIndex) -> list[ConstraintResult]:
    rows = index.rows
    n = len(rows)
    c = profile.constraints
    results: list[ConstraintResult] = []

    if c.remote == "required":
        passes = np.array([r.get("remote") == "remote" for r in rows], dtype=bool)
        results.append(ConstraintResult("remote", passes, "fully remote work"))
    elif c.remote == "avoid":
        passes = np.array([r.get("remote") != "remote" for r in rows], dtype=bool)
        results.append(ConstraintResult("remote", passes, "a workplace to go to (not fully remote)"))

    if c.locations:
        wanted = [(_fold(p.country), _fold(p.region), _fold(p.locality)) for p in c.locations]
        remote_ok = c.remote != "avoid"
        passes = np.array([_location_ok(r, wanted, remote_ok) for r in rows], dtype=bool)
        places = ", ".join(filter(None, (p.locality or p.region or p.country for p in c.locations)))
        results.append(ConstraintResult("location", passes, f"work in {places}"))

    if c.employment_types:
        wanted_types = set(c.employment_types)
        passes = np.array(
            [not r.get("employment_types") or bool(wanted_types & set(r["employment_types"])) for r in rows],
            dtype=bool,
        )
        results.append(ConstraintResult("employment_type", passes, "employment type " + "/".join(c.employment_types)))

    if c.max_hours_per_week is not None:
        limit = c.max_hours_per_week
        passes = np.ones(n, dtype=bool)
        for i, row in enumerate(rows):
            hours, _ = listing_hours_min(row)
            passes[i] = hours is None or hours <= limit
        results.append(ConstraintResult("hours", passes, f"at most {limit:g} hours a week"))

    if c.min_salary is not None:
        wanted_year = _yearly(c.min_salary.amount, c.min_salary.unit)
        passes = np.ones(n, dtype=bool)
        for i, row in enumerate(rows):
            salary = row.get("salary") or {}
            if salary.get("currency") != c.min_salary.currency:
                continue
            top = salary.get("max") if salary.get("max") is not None else salary.get("min")
            yearly = _yearly(top, salary.get("unit"))
            if yearly is not None and wanted_year is not None and yearly < wanted_year:
                passes[i] = False
        results.append(
            ConstraintResult(
                "min_salary", passes,
                f"pay of at least {c.min_salary.amount:g} {c.min_salary.currency} per {c.min_salary.unit.lower()}",
            )
        )

    if profile.avoid:
        passes = np.ones(n, dtype=bool)
        for tag in profile.avoid:
            mask = index.tag_masks.get(tag)
            if mask is not None:
                passes &= ~mask
        results.append(ConstraintResult("avoid", passes, "none of: " + ", ".join(profile.avoid)))
    return results
