"""Feedback on a listing for a stored profile: saved, dismissed or applied."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.deps import IndexDep, UserStoreDep
from api.schemas import ErrorOut, FeedbackIn, FeedbackOut
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import ListingNotFoundError, record_feedback

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", response_model=FeedbackOut, status_code=201, responses={404: {"model": ErrorOut}})
def feedback(body: FeedbackIn, index: IndexDep, store: UserStoreDep) -> dict[str, Any]:
    """Record feedback. Dismissed listings never come back for this profile; saved and applied
    ones raise similar listings in its later rankings."""
    try:
        record = record_feedback(index, store, body.profile_id, body.listing_id, body.action)
    except ProfileNotFoundError:
        raise HTTPException(status_code=404, detail=f"no stored profile with id {body.profile_id}") from None
    except ListingNotFoundError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return {"id": record["id"], "profile_id": body.profile_id, "listing_id": body.listing_id,
            "action": body.action}
