"""Feedback on a listing for a stored profile: saved, dismissed or applied."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.access import Action, authorize, not_found
from api.auth import ProfileOwnerKey
from api.deps import IndexDep, UserStoreDep
from api.schemas import ErrorOut, FeedbackIn, FeedbackOut
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import ListingNotFoundError, record_feedback

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", response_model=FeedbackOut, status_code=201,
             responses={code: {"model": ErrorOut} for code in (401, 403, 404)})
def feedback(body: FeedbackIn, key: ProfileOwnerKey, index: IndexDep, store: UserStoreDep) -> dict[str, Any]:
    """Record feedback. Dismissed listings never come back for this profile; saved and applied
    ones raise similar listings in its later rankings. Scope: profiles (the owner's key)."""
    authorize(key, store, body.profile_id, Action.FEEDBACK)
    try:
        record = record_feedback(index, store, body.profile_id, body.listing_id, body.action)
    except ProfileNotFoundError:
        raise not_found(body.profile_id) from None
    except ListingNotFoundError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return {"id": record["id"], "profile_id": body.profile_id, "listing_id": body.listing_id,
            "action": body.action}
