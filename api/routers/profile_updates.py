"""Partial update of a stored profile (owner only): a JSON merge patch (RFC 7396) of the profile.

The patched profile is validated as a new one is (POST /v1/profiles); nothing is stored when it
is not valid. The cached query embedding is computed again when the text relevance is measured
against (desired titles, skills, summary) changed, and the scores cached in memory for the
profile are dropped either way. Like every profile route, the answer names fields, never values.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.access import Action, authorize, not_found
from api.auth import ProfileOwnerKey
from api.deps import EmbedderDep, UserStoreDep
from api.listing_schemas import ProfileUpdatedOut
from api.routers.profiles import PROFILE_ERRORS, ProfileId
from api.schemas import ErrorOut
from ranker.users.key import UserKeyError
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import update_profile

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])

PATCH_EXAMPLES = {
    "titles": {"summary": "new desired titles (the embedding is computed again)",
               "value": {"desired_titles": ["介護職", "Care assistant"]}},
    "constraint": {"summary": "one constraint; the other constraints stay",
                   "value": {"constraints": {"max_hours_per_week": 20}}},
    "remove": {"summary": "null removes a field: its default applies again", "value": {"home": None}},
}


@router.patch("/{profile_id}", response_model=ProfileUpdatedOut,
              responses=PROFILE_ERRORS | {422: {"model": ErrorOut}})
def patch_profile(
    profile_id: ProfileId, key: ProfileOwnerKey, request: Request, store: UserStoreDep, embedder: EmbedderDep,
    patch: Annotated[dict[str, Any], Body(
        description="the fields to change, as in the profile of POST /v1/profiles; objects merge field by field, "
                    "null removes a field", openapi_examples=PATCH_EXAMPLES)],
) -> dict[str, Any]:
    """Change some fields of a stored profile. Scope: profiles (the owner's key); never a
    counselor's or an admin's."""
    authorize(key, store, profile_id, Action.UPDATE)
    try:
        changed, refreshed = update_profile(store, profile_id, patch, embedder)
    except ValidationError as exc:
        raise RequestValidationError([{**error, "loc": ("body", *error.get("loc", ()))}
                                      for error in exc.errors(include_input=False)]) from None
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    except UserKeyError as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from None
    request.app.state.score_cache.forget(profile_id)
    return {"id": profile_id, "changed": changed, "embedding_refreshed": refreshed}
