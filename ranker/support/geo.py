"""Distances on the Earth's surface, and the rounding they are shown with."""

from __future__ import annotations

import math

# The mean Earth radius (IUGG), the one scikit-learn's haversine distances are scaled by here.
EARTH_RADIUS_KM = 6371.0088
# Japan with its outlying islands (Okinotorishima to Etorofu, Yonaguni to Minamitorishima).
_JAPAN_LAT = (20.0, 46.0)
_JAPAN_LNG = (122.0, 154.5)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def in_japan(lat: float, lng: float) -> bool:
    """Whether a point lies in Japan's bounding box (support data covers Japan only)."""
    return _JAPAN_LAT[0] <= lat <= _JAPAN_LAT[1] and _JAPAN_LNG[0] <= lng <= _JAPAN_LNG[1]


def shown_km(km: float) -> float:
    """A distance as shown: tenths of a kilometre under 10 km (a walk or a few stops), whole
    kilometres beyond (straight-line distance is no more precise than that)."""
    return round(km, 1) if km < 10 else float(round(km))
