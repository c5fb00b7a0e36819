"""Japan's extent as a bounding box, generously: Okinotorishima (20.4 N) to Etorofu (45.6 N),
Yonaguni (122.9 E) to Minamitorishima (154.0 E). Support data covers Japan only."""

from __future__ import annotations

LAT_RANGE = (20.0, 46.0)
LNG_RANGE = (122.0, 154.0)


def in_japan(lat: float, lng: float) -> bool:
    """Whether a point (degrees) lies in Japan's bounding box."""
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]
