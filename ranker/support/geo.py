"""Distances on the Earth's surface, and the rounding they are shown with."""

from __future__ import annotations

import numpy as np

# The mean Earth radius (IUGG), the one scikit-learn's haversine distances are scaled by here.
EARTH_RADIUS_KM = 6371.0088


def distances_km(lat: float, lng: float, points: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) from one point to rows of (lat, lng), all in degrees; NaN stays NaN."""
    p1, p2 = np.radians(lat), np.radians(points[:, 0])
    dp, dl = p2 - p1, np.radians(points[:, 1] - lng)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def shown_km(km: float) -> float:
    """A distance as shown: tenths of a kilometre under 10 km (a walk or a few stops), whole
    kilometres beyond (straight-line distance is no more precise than that)."""
    return round(km, 1) if km < 10 else float(round(km))
