"""How far each listing's workplace lies from home: the straight-line distance from the home's
point to the centroid of the municipality the listing's place names (region + locality, e.g.
東京都 + 中野区), the nearest of its places. Approximate by construction; NaN where the listing
names no municipality in Japan (a prefecture alone, no place, a place abroad)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex
from ranker.support.geo import distances_km
from ranker.support.places import Place, municipality_of_place, municipality_point, resolve_home
from ranker.support.tables import SupportTables, support_tables

_JAPAN = ("", "jp")  # folded country values a Japanese place may carry (not stated, or JP)


def home_place(index: ServingIndex, profile: AptitudeProfile) -> Place | None:
    """The profile's home resolved against the index's support tables; None without a home."""
    if profile.home is None:
        return None
    return resolve_home(profile.home, support_tables(index))


def place_point(tables: SupportTables, region: str, locality: str) -> tuple[float, float] | None:
    """The centroid of the municipality a stated place names, or None."""
    municipality = municipality_of_place(region, locality)
    if municipality is None:
        return None
    centroid = municipality_point(tables, municipality.code)
    return None if centroid is None else (centroid.lat, centroid.lng)


def _place_points(index: ServingIndex, tables: SupportTables) -> np.ndarray:
    """(lat, lng) per stated place of the index (NaN where none), resolved once per distinct
    (region, locality) pair."""
    f = index.features
    points = np.full((len(f.loc_owner), 2), np.nan)
    japanese = np.array([value in _JAPAN for value in f.countries], dtype=bool)
    seen: dict[tuple[int, int], tuple[float, float] | None] = {}
    for i in np.flatnonzero(japanese[f.loc_country]):
        key = (int(f.loc_region[i]), int(f.loc_locality[i]))
        if key not in seen:
            seen[key] = place_point(tables, f.regions[key[0]], f.localities[key[1]])
        if seen[key] is not None:
            points[i] = seen[key]
    return points


def commute_km(index: ServingIndex, home: Place) -> np.ndarray:
    """Per listing: the distance from home to its nearest placed workplace (NaN: not known)."""
    out = np.full(len(index), np.nan)
    if not home.has_point or not home.in_japan or len(index) == 0:
        return out
    tables = support_tables(index)
    points = tables.memo(("place_points", index.version, len(index)), lambda: _place_points(index, tables))
    assert home.lat is not None and home.lng is not None
    km = distances_km(home.lat, home.lng, points)
    placed = ~np.isnan(km)
    np.fmin.at(out, index.features.loc_owner[placed], km[placed])
    return out


def row_workplace(tables: SupportTables, row: dict[str, Any], home: Place) -> tuple[float, float] | None:
    """The listing's workplace nearest home, from its row (a result on the page), or None."""
    best, best_km = None, np.inf
    for loc in row.get("locations") or []:
        if str(loc.get("country") or "").strip().casefold() not in _JAPAN:
            continue
        point = place_point(tables, str(loc.get("region") or ""), str(loc.get("locality") or ""))
        if point is None or home.lat is None or home.lng is None:
            continue
        km = float(distances_km(home.lat, home.lng, np.array([point]))[0])
        if km < best_km:
            best, best_km = point, km
    return best
