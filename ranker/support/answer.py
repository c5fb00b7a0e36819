"""The answer to "what support is near this place?" (``ippo support`` and ``GET /v1/support``).

``status`` says honestly what the list means: ``found`` (offices within the radius),
``none_within_radius`` (support data is loaded and none of the types lies within it),
``not_loaded`` (the snapshot holds no support offices: nothing is known, not "none nearby"),
``no_point`` (the place's municipality has no centroid in the snapshot, so no distance can be
measured) or ``outside_japan`` (the data covers Japan only).
"""

from __future__ import annotations

from typing import Any

from ranker.profile import Home
from ranker.support.hellowork import offices_in_charge
from ranker.support.nearest import nearest_offices, office_out
from ranker.support.places import resolve_home
from ranker.support.tables import SERVICE_TYPES, SupportTables

STATUSES = ("found", "none_within_radius", "not_loaded", "no_point", "outside_japan")
DEFAULT_RADIUS_KM = 10.0
DEFAULT_LIMIT = 10


def support_near(tables: SupportTables, home: Home, types: list[str] | None = None,
                 radius_km: float = DEFAULT_RADIUS_KM, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Offices of the given service types (all when None) within radius_km of the place, nearest
    first, with the Hello Work office in charge of it (tables: ranker.support.tables)."""
    place = resolve_home(home, tables)
    wanted = list(dict.fromkeys(types)) if types else list(SERVICE_TYPES)
    offices: list[dict[str, Any]] = []
    if not place.in_japan:
        status = "outside_japan"
    elif not tables.offices_loaded:
        status = "not_loaded"
    elif not place.has_point:
        status = "no_point"
    else:
        assert place.lat is not None and place.lng is not None
        found = nearest_offices(tables, place.lat, place.lng, wanted, radius_km=radius_km, k=limit)
        offices = [office_out(tables, near.position, near.km) for near in found]
        status = "found" if offices else "none_within_radius"
    return {
        "snapshot_version": tables.version, "status": status, "place": place.to_dict(),
        "service_types": wanted, "radius_km": radius_km, "offices": offices,
        "offices_loaded": tables.offices_loaded, "unplaced_offices": tables.unplaced,
        "hellowork_loaded": tables.hellowork_loaded,
        "hellowork_offices": offices_in_charge(tables, place) if place.in_japan else [],
    }
