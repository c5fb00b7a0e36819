"""Support beside the recommendations of a person whose home is in Japan: per listing, up to
three offices of the services their needs call for (ranker.support.needs), nearest to home, or
nearest the way from home to work when the listing's municipality is known (the smallest sum of
the two distances); the commute distance; and, once per page, the Hello Work office in charge.

A person without a home, or with a home outside Japan, gets none of it (None, not an empty
list). A snapshot without support data says so (``offices_loaded`` false) instead of listing
nothing nearby.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex
from ranker.support.commute import home_place, row_workplace
from ranker.support.geo import distances_km, shown_km
from ranker.support.hellowork import offices_in_charge
from ranker.support.nearest import nearest_offices, office_out, order_km
from ranker.support.needs import service_types_for
from ranker.support.places import Place
from ranker.support.tables import SupportTables, support_tables

PER_LISTING = 3
# Offices farther than this from home are not offered beside a listing (a support office is
# visited often; one a long journey away is no help).
BESIDE_RADIUS_KM = 50.0
# How many offices near home and near work compete for the way from one to the other.
_ROUTE_CANDIDATES = 20


@dataclass
class PageSupport:
    """What the page adds beside its results for a home in Japan."""

    home: Place
    offices_loaded: bool
    hellowork_loaded: bool
    service_types: list[str]
    hellowork_offices: list[str]
    nearby: dict[str, list[dict[str, Any]] | None] = field(default_factory=dict)  # by listing id
    commute: dict[str, float | None] = field(default_factory=dict)  # by listing id, km

    def to_dict(self) -> dict[str, Any]:
        return {"home": self.home.to_dict(), "offices_loaded": self.offices_loaded,
                "hellowork_loaded": self.hellowork_loaded, "service_types": self.service_types,
                "hellowork_offices": self.hellowork_offices}


def page_support(index: ServingIndex, profile: AptitudeProfile, rows: Sequence[dict[str, Any]]) -> PageSupport | None:
    """The support block of a page of listing rows, or None when the profile has no home in Japan."""
    home = home_place(index, profile)
    if home is None or not home.in_japan:
        return None
    tables = support_tables(index)
    types = service_types_for(profile.needs)
    support = PageSupport(home, tables.offices_loaded, tables.hellowork_loaded, types,
                          offices_in_charge(tables, home))
    near_home = _near(tables, home, types) if home.has_point and types and tables.offices_loaded else None
    for row in rows:
        workplace = row_workplace(tables, row, home) if home.has_point else None
        support.commute[row["id"]] = None if workplace is None else _km(home, workplace)
        if near_home is None:
            support.nearby[row["id"]] = None
            continue
        chosen = _on_the_way(tables, home, workplace, types, near_home) if workplace else near_home[:PER_LISTING]
        support.nearby[row["id"]] = [_shown(tables, position, km, workplace) for position, km in chosen]
    return support


def _near(tables: SupportTables, home: Place, types: list[str]) -> list[tuple[int, float]]:
    assert home.lat is not None and home.lng is not None
    found = nearest_offices(tables, home.lat, home.lng, types, radius_km=BESIDE_RADIUS_KM, k=_ROUTE_CANDIDATES)
    return [(near.position, near.km) for near in found]


def _on_the_way(tables: SupportTables, home: Place, work: tuple[float, float], types: list[str],
                near_home: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The offices with the smallest detour from home to work (sum of both distances), among
    those nearest home and nearest work, within reach of home."""
    assert home.lat is not None and home.lng is not None
    near_work = nearest_offices(tables, work[0], work[1], types, radius_km=BESIDE_RADIUS_KM, k=_ROUTE_CANDIDATES)
    positions = list(dict.fromkeys([p for p, _ in near_home] + [n.position for n in near_work]))
    if not positions:
        return []
    points = np.column_stack([tables.lat[positions], tables.lng[positions]])
    from_home = distances_km(home.lat, home.lng, points)
    to_work = distances_km(work[0], work[1], points)
    order = sorted(range(len(positions)), key=lambda i: (
        order_km(tables, positions[i], float(from_home[i])) + order_km(tables, positions[i], float(to_work[i])),
        from_home[i], positions[i]))
    reachable = [i for i in order if from_home[i] <= BESIDE_RADIUS_KM]
    return [(positions[i], float(from_home[i])) for i in reachable[:PER_LISTING]]


def _shown(tables: SupportTables, position: int, km: float, workplace: tuple[float, float] | None) -> dict[str, Any]:
    office = office_out(tables, position, km)
    if workplace is not None:
        point = np.array([[tables.lat[position], tables.lng[position]]])
        office["from_work_km"] = shown_km(float(distances_km(workplace[0], workplace[1], point)[0]))
    else:
        office["from_work_km"] = None
    return office


def _km(home: Place, point: tuple[float, float]) -> float:
    assert home.lat is not None and home.lng is not None
    return shown_km(float(distances_km(home.lat, home.lng, np.array([point]))[0]))
