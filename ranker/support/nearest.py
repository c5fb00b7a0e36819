"""The support offices nearest a point: one scikit-learn BallTree per service type over the
snapshot's offices (haversine distance on radians), built once per snapshot version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.neighbors import BallTree

from ranker.support.geo import EARTH_RADIUS_KM, shown_km
from ranker.support.tables import SERVICE_TYPES, SupportTables

# The most offices one query returns, and the widest radius it may ask for.
MAX_OFFICES = 50
MAX_RADIUS_KM = 200.0
# An office placed at its municipality's centroid (it has no coordinates of its own) is somewhere
# in that municipality: its distance may be 0.0 from a home placed at the same centroid while it
# is in fact a few kilometres away. It is ordered as if at least this far, so offices known to
# be close come first; the distance shown stays the computed one, marked approximate.
APPROXIMATE_ORDER_KM = 2.0
_ALL = "*"


@dataclass(frozen=True)
class TypeTree:
    """The offices of one service type: their positions in SupportTables.offices and their tree."""

    positions: np.ndarray
    tree: BallTree


@dataclass(frozen=True)
class NearOffice:
    position: int  # in SupportTables.offices
    km: float  # exact straight-line distance from the point asked about


def type_trees(tables: SupportTables) -> dict[str, TypeTree]:
    """One tree per service type present in the snapshot (built on first use, then shared)."""
    return tables.memo("trees", lambda: _build_trees(tables))


def _build_trees(tables: SupportTables) -> dict[str, TypeTree]:
    kinds = np.array([str(o.get("service_type") or "") for o in tables.offices], dtype=object)
    radians = np.radians(np.column_stack([tables.lat, tables.lng])) if len(tables.offices) else np.zeros((0, 2))
    trees = {}
    for kind in sorted(set(kinds.tolist())):
        positions = np.flatnonzero(kinds == kind)
        trees[kind] = TypeTree(positions, BallTree(radians[positions], metric="haversine"))
    if len(trees) > 1:  # every type at once: one query instead of one per type
        trees[_ALL] = TypeTree(np.arange(len(kinds)), BallTree(radians, metric="haversine"))
    return trees


def nearest_offices(tables: SupportTables, lat: float, lng: float, types: Iterable[str] | None = None,
                    radius_km: float | None = None, k: int = 10) -> list[NearOffice]:
    """Up to k offices of the given types (all types when None), nearest first, within
    radius_km when given. Equal distances keep the snapshot's office order."""
    trees = type_trees(tables)
    wanted = list(dict.fromkeys(types)) if types else list(SERVICE_TYPES)
    if _ALL in trees and {kind for kind in trees if kind != _ALL} <= set(wanted):
        wanted = [_ALL]
    point = np.radians([[lat, lng]])
    found: list[NearOffice] = []
    for kind in wanted:
        tree = trees.get(kind)
        if tree is None or k <= 0:
            continue
        if radius_km is None:
            # twice k, so that offices ordered later for being approximate can be replaced
            distance, local = tree.tree.query(point, k=min(2 * k, len(tree.positions)))
            hits, km = local[0], distance[0] * EARTH_RADIUS_KM
        else:
            local_hits, distances = tree.tree.query_radius(point, r=radius_km / EARTH_RADIUS_KM,
                                                           return_distance=True, sort_results=True)
            hits, km = local_hits[0][:2 * k], distances[0][:2 * k] * EARTH_RADIUS_KM
        found += [NearOffice(int(tree.positions[h]), float(d)) for h, d in zip(hits, km, strict=True)]
    found.sort(key=lambda near: (order_km(tables, near.position, near.km), near.position))
    return found[:k]


def order_km(tables: SupportTables, position: int, km: float) -> float:
    """The distance an office is ordered by: an approximate one counts as at least APPROXIMATE_ORDER_KM."""
    return max(km, APPROXIMATE_ORDER_KM) if tables.approximate[position] else km


def office_out(tables: SupportTables, position: int, km: float | None = None) -> dict[str, Any]:
    """One office as answered: what it offers, where, when, how to reach it, and how far (km),
    with ``approximate`` when it is placed at its municipality's centroid."""
    office = tables.offices[position]
    approximate = bool(tables.approximate[position])
    return {
        "office_id": office.get("office_id"), "office_number": office.get("office_number"),
        "service_type": office.get("service_type"), "service_label": office.get("service_label"),
        "name": office.get("name"), "operator_name": office.get("operator_name"),
        "address": office.get("address"), "phone": office.get("phone"), "url": office.get("url"),
        "hours": {"weekday": office.get("hours_weekday"), "saturday": office.get("hours_saturday"),
                  "sunday": office.get("hours_sunday"), "holiday": office.get("hours_holiday")},
        "closed_days": office.get("closed_days"), "days_note": office.get("days_note"),
        "capacity": office.get("capacity"),
        "lat": None if approximate else office.get("lat"), "lng": None if approximate else office.get("lng"),
        "distance_km": None if km is None else shown_km(km), "approximate": approximate,
    }
