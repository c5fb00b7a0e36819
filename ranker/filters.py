"""Hard constraints of a profile, three-valued per listing: it *meets* the constraint (states
the value and it fits), it is *unknown* (the listing does not state it), or it *misses* it
(states a value that does not fit).

Unknown is not "fits": an unknown listing stays on the page (excluding it would hide jobs for
missing paperwork, not for a real mismatch), but it is ranked below every listing that states
and meets all the person's limits, and its reasons say what it does not state. A profile can
ask for a value to be stated (``constraints.require_stated``): then unknown counts as a miss.

Every mask is computed over the snapshot's precomputed arrays (ranker.listing_features):
place names are matched once per distinct value, not once per listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from pipeline.text.fold import fold_key
from ranker.listing_features import ANYWHERE, ETYPE_BITS, FULL_TIME_ASSUMED_HOURS, listing_hours_min, yearly
from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex
from ranker.support.commute import commute_km, home_place
from ranker.wording import Language, Names, Phrase, grouped

__all__ = ["FULL_TIME_ASSUMED_HOURS", "ConstraintResult", "evaluate", "listing_hours_min"]


@dataclass
class ConstraintResult:
    name: str  # remote | location | employment_type | hours | min_salary | commute | avoid
    meets: np.ndarray  # bool per listing: states the value and it fits
    unknown: np.ndarray  # bool per listing: does not state it (never true where meets is)
    wish: Phrase  # what the constraint asks, said in the page's language (ranker.wording)
    required_stated: bool = False  # the person asked for the value to be stated: unknown is a miss
    passes: np.ndarray = field(init=False)  # bool: meets, or unknown and not required to be stated

    def __post_init__(self) -> None:
        self.passes = self.meets if self.required_stated else self.meets | self.unknown

    @property
    def description(self) -> str:
        """What the constraint asks, in English (the page's notes)."""
        return self.wish.text("en")

    def described(self, language: Language) -> str:
        """What the constraint asks, in the page's language (the reasons)."""
        return self.wish.text(language)

    def state(self, i: int) -> str:
        """meets | unknown | misses, for listing i."""
        if self.meets[i]:
            return "meets"
        return "unknown" if self.unknown[i] else "misses"


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


def _place_hits(index: ServingIndex, places: list[tuple[str, str, str]]) -> np.ndarray:
    """Listings with a stated place that matches one of the wanted (country, region, locality).

    A place that does not state its country may still match on the region or locality the
    person named (東京都 without JP); but when only a country is wanted, a place must state that
    country: "Remote" or "San Francisco" with no country says nothing about the country wanted.
    """
    f = index.features
    place_ok = np.zeros(len(f.loc_owner), dtype=bool)
    for country, region, locality in places:
        country_ok = np.array([not country or not value or value == country for value in f.countries], dtype=bool)
        ok = country_ok[f.loc_country]
        ok &= _matching_values(f.regions, region, two_way=True)[f.loc_region]
        ok &= _matching_values(f.localities, locality, two_way=False)[f.loc_locality]
        if country and not (region or locality):
            ok &= f.loc_country != 0
        place_ok |= ok
    return np.bincount(f.loc_owner[place_ok], minlength=len(index)).astype(bool)


def _countries_stated(index: ServingIndex) -> np.ndarray:
    """Listings with at least one place that states its country (such places can rule a wish out)."""
    f = index.features
    return np.bincount(f.loc_owner[f.loc_country != 0], minlength=len(index)).astype(bool)


def _region_hits(index: ServingIndex, countries: list[str]) -> np.ndarray:
    """Listings whose stated remote regions include one of the countries (any case), or ANYWHERE."""
    f = index.features
    wanted = {c.upper() for c in countries if c} | {ANYWHERE}
    code_ok = np.array([value in wanted for value in f.remote_regions], dtype=bool)
    return np.bincount(f.rr_owner[code_ok[f.rr_code]], minlength=len(index)).astype(bool)


def location_states(index: ServingIndex, places: list[tuple[str, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(meets, unknown) of the location constraint for wanted (country, region, locality) keys.

    A listing done on site (or hybrid) meets it with a matching stated place and is unknown
    without any stated place, or when its places name no country and match nothing. A fully
    remote listing meets it with a matching place or when its remote regions include a wanted
    country (or ANYWHERE); it misses when its regions are stated and exclude every wanted
    country; otherwise (no regions stated, or a wanted place without a country) it is unknown:
    being remote alone does not say the person may work from home.
    """
    f = index.features
    if len(index) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    place_hit = _place_hits(index, places)
    remote = f.remote == 2
    region_hit = _region_hits(index, [country for country, _, _ in places])
    every_place_has_country = all(country for country, _, _ in places)
    meets = place_hit | (remote & region_hit)
    remote_unknown = remote & ~meets & (~f.rr_stated | (not every_place_has_country))
    # On site: no place stated, or places that name no country and do not match: nothing rules it out.
    onsite_unknown = ~remote & ~meets & (~f.has_location | ~_countries_stated(index))
    return meets, remote_unknown | onsite_unknown


def evaluate(profile: AptitudeProfile, index: ServingIndex) -> list[ConstraintResult]:
    """One three-valued result per constraint the profile sets, in a fixed order."""
    c = profile.constraints
    required = set(c.require_stated)
    found = (_remote(profile, index), _location(profile, index), _employment_type(profile, index),
             _hours(profile, index), _min_salary(profile, index), _commute(profile, index), _avoid(profile, index))
    return [replace(result, required_stated=result.name in required) for result in found if result is not None]


def _remote(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    remote = index.features.remote
    if profile.constraints.remote == "required":
        return ConstraintResult("remote", remote == 2, remote == -1, Phrase("wish.remote"))
    if profile.constraints.remote == "avoid":
        return ConstraintResult("remote", (remote == 0) | (remote == 1), remote == -1,
                                Phrase("wish.onsite"))
    return None


def _location(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    wanted = profile.constraints.locations
    if not wanted:
        return None
    keys = [(fold_key(p.country), fold_key(p.region), fold_key(p.locality)) for p in wanted]
    meets, unknown = location_states(index, keys)
    places = Names.of("region", filter(None, (p.locality or p.region or p.country for p in wanted)))
    return ConstraintResult("location", meets, unknown, Phrase("wish.location", {"places": places}))


def _employment_type(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    kinds = profile.constraints.employment_types
    if not kinds:
        return None
    bits = 0
    for kind in kinds:
        bits |= ETYPE_BITS[kind]
    etype = index.features.etype_bits
    return ConstraintResult("employment_type", (etype & np.uint16(bits)) != 0, etype == 0,
                            Phrase("wish.employment_type", {"types": Names.of("employment_type", kinds, "/")}))


def _hours(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    """Stated hours within the limit meet it. Hours assumed from "full-time" (about 35 a week)
    miss a lower limit, but are only unknown under a higher one: the assumption can exclude, never
    vouch."""
    limit = profile.constraints.max_hours_per_week
    if limit is None:
        return None
    f = index.features
    with np.errstate(invalid="ignore"):
        within = f.hours_min <= limit
    unstated = np.isnan(f.hours_min)
    return ConstraintResult("hours", within & ~f.hours_inferred, unstated | (within & f.hours_inferred),
                            Phrase("wish.hours", {"limit": limit}))


def _min_salary(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    """Pay is compared only in the same currency, as a yearly figure; pay not stated, or stated
    in another currency, is unknown."""
    wanted = profile.constraints.min_salary
    if wanted is None:
        return None
    f = index.features
    meets = np.zeros(len(index), dtype=bool)
    comparable = np.zeros(len(index), dtype=bool)
    wanted_year = yearly(wanted.amount, wanted.unit)
    if wanted.currency in f.currencies and wanted_year is not None:
        code = f.currencies.index(wanted.currency)
        comparable = (f.pay_currency == code) & ~np.isnan(f.pay_yearly)
        with np.errstate(invalid="ignore"):
            meets = comparable & (f.pay_yearly >= wanted_year)
    said = {"amount": wanted.amount, "grouped": grouped(wanted.amount), "unit_word": wanted.unit.lower(),
            "currency": Names.of("currency", [wanted.currency]), "unit": Names.of("salary_unit", [wanted.unit])}
    return ConstraintResult("min_salary", meets, ~comparable, Phrase("wish.min_salary", said))


def _commute(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    """A workplace within the distance of home meets it; a fully remote listing meets it (no
    commute); a listing whose municipality is not known (or a home the snapshot cannot place) is
    unknown; a placed workplace farther away misses it. Distances run between municipality
    centroids, so they are approximate (ranker.support.commute)."""
    limit = profile.constraints.max_commute_km
    if limit is None:
        return None
    home = home_place(index, profile)
    km = commute_km(index, home) if home is not None else np.full(len(index), np.nan)
    with np.errstate(invalid="ignore"):
        within = km <= limit
    meets = within | (index.features.remote == 2)
    return ConstraintResult("commute", meets, ~meets & np.isnan(km), Phrase("wish.commute", {"limit": limit}))


def _avoid(profile: AptitudeProfile, index: ServingIndex) -> ConstraintResult | None:
    """Facts to avoid are two-valued: a listing that does not mention a night shift is taken
    not to have one (most listings mention none, so "unknown" would mark them all)."""
    if not profile.avoid:
        return None
    meets = np.ones(len(index), dtype=bool)
    for tag in profile.avoid:
        mask = index.tag_mask(tag)
        if mask is not None:
            meets &= ~mask
    return ConstraintResult("avoid", meets, np.zeros(len(index), dtype=bool),
                            Phrase("wish.avoid", {"tags": ", ".join(profile.avoid),
                                                  "avoid": Names.of("avoid", profile.avoid)}))
