"""Recommendations for a stored profile, a page at a time (GET beside the POST of api.routers.profiles).

The ranked list is the stored profile's page of ``max_k`` results (the most one request may
return, as for the POST), computed the same way for every page of a snapshot (its scores come
from the score cache after the first page); each page is a slice of it, with the same JSON shape
as the POST (ranker.present.page_to_dict) plus ``next_cursor``. Ranks continue across pages.
Feedback given between two pages (a dismissal) changes the list the next page is cut from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.access import Action, authorize, not_found
from api.auth import ProfileRecommendKey
from api.cursors import decode_cursor, encode_cursor, request_digest
from api.deps import EmbedderDep, IndexDep, SettingsDep, UserStoreDep
from api.listing_schemas import RecommendationsPageOut
from api.routers.profiles import PROFILE_ERRORS, ProfileId
from api.schemas import ErrorOut
from ranker.present import page_to_dict
from ranker.users.key import UserKeyError
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import recommend_stored

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])

CURSOR_KIND = "profile-recommendations"


def _offset(cursor: str | None, version: str, digest: str) -> int:
    if not cursor:
        return 0
    at = decode_cursor(cursor, CURSOR_KIND, version, digest)
    offset = at.get("offset")
    if not isinstance(offset, int) or offset < 0:
        raise HTTPException(status_code=400, detail=[{"field": "cursor", "problem": "not a cursor this API gave "
                                                      "out; start again without cursor"}])
    return offset


@router.get(
    "/{profile_id}/recommendations",
    response_model=RecommendationsPageOut,
    responses=PROFILE_ERRORS | {code: {"model": ErrorOut} for code in (400, 410, 422, 503)},
)
def paged_recommendations(
    profile_id: ProfileId, key: ProfileRecommendKey, request: Request, index: IndexDep, store: UserStoreDep,
    embedder: EmbedderDep, settings: SettingsDep,
    k: Annotated[int, Query(ge=1, le=200, description="results per page (at most the server's max_k)")] = 10,
    cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous page")] = None,
) -> dict[str, Any]:
    """Ranked listings for a stored profile, a page at a time; the same results as the POST with
    ``k`` = max_k, cut into pages. Scope: profiles or counselor (when granted)."""
    authorize(key, store, profile_id, Action.RECOMMEND)
    depth = settings.max_k
    digest = request_digest(CURSOR_KIND, profile_id, depth)
    offset = _offset(cursor, index.version, digest)
    try:
        page = recommend_stored(index, store, profile_id, embedder, k=depth, cache=request.app.state.score_cache)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    except UserKeyError as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from None
    size = min(k, depth)
    shown = replace(page, results=page.results[offset:offset + size])
    out = page_to_dict(shown, first_rank=offset + 1)
    more = offset + size < len(page.results)
    out["next_cursor"] = encode_cursor(CURSOR_KIND, index.version, digest, {"offset": offset + size}) if more \
        else None
    return out
