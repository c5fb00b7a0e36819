"""Support offices near a place: GET /v1/support. Scope: recommend.

Reads the served snapshot's support tables (ranker.support), never the warehouse. The place is
a postcode, a municipality code or ``lat,lng``; one Japan Post does not know is refused (422)
with that value named, as the person asked for it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.auth import RecommendKey
from api.deps import IndexDep
from api.schemas import ErrorOut, ServiceType, SupportOut
from ranker.support.answer import DEFAULT_LIMIT, DEFAULT_RADIUS_KM, support_near
from ranker.support.nearest import MAX_OFFICES, MAX_RADIUS_KM
from ranker.support.places import PlaceCodeError, home_from_text
from ranker.support.tables import support_tables

router = APIRouter(prefix="/v1", tags=["support"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 422, 503)}
EXAMPLE = {
    "snapshot_version": "20261126T000000Z", "status": "found",
    "place": {"lat": 35.6857, "lng": 139.6672, "approximate": True, "located_by": "municipality",
              "municipality_code": "13114", "municipality": "東京都中野区", "postal_code": "1640014"},
    "service_types": ["shuro_ikou"], "radius_km": 10.0,
    "offices": [{
        "office_id": "1311401457:shuro_ikou", "office_number": "1311401457", "service_type": "shuro_ikou",
        "service_label": "就労移行支援", "name": "にじ中野坂上", "operator_name": "株式会社にじ",
        "address": "東京都中野区本町２−４５−１３　山手ビル６階", "phone": "03-6276-8663", "url": "http://ni-ji.net/",
        "hours": {"weekday": "10:00-16:00", "saturday": "10:00-16:00", "sunday": None, "holiday": None},
        "closed_days": "日曜日　年末年始", "days_note": None, "capacity": 20, "lat": 35.69586138, "lng": 139.68239247,
        "distance_km": 1.9, "approximate": False}],
    "offices_loaded": True, "unplaced_offices": 0, "hellowork_loaded": True, "hellowork_offices": ["新宿"],
}


@router.get("/support", response_model=SupportOut, responses=ERRORS | {
    200: {"content": {"application/json": {"example": EXAMPLE}}}})
def support_nearby(
    key: RecommendKey, index: IndexDep,
    near: Annotated[str, Query(min_length=1, max_length=40, description="a postcode (164-0014), a municipality "
                                                                        "code (13114) or lat,lng (35.69,139.67)")],
    types: Annotated[list[ServiceType] | None, Query(description="service types to look for; repeat the "
                                                                 "parameter; all when absent")] = None,
    radius_km: Annotated[float, Query(gt=0, le=MAX_RADIUS_KM, description="straight-line km")] = DEFAULT_RADIUS_KM,
    limit: Annotated[int, Query(ge=1, le=MAX_OFFICES, description="offices to return")] = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Employment-support offices near a place, nearest first, with hours, phone, URL and address,
    and the Hello Work office in charge. ``status`` says what an empty list means: none within
    the radius, or no support data loaded (nothing known). Scope: recommend."""
    try:
        home = home_from_text(near)
    except (PlaceCodeError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=[{"field": "query.near", "problem": str(exc)}]) from None
    return support_near(support_tables(index), home, list(types) if types else None, radius_km, limit)
