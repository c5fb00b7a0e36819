"""Stored profiles: create, recommend for, export (right of access) and delete (erasure).

Profiles are special-care personal data: stored encrypted, never logged, and never put in
an error body. Responses name ids and problems, not content, except the export, which is the
person's own copy of everything stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from api.deps import EmbedderDep, IndexDep, SettingsDep, UserStoreDep
from api.schemas import DeletedOut, ErrorOut, ProfileCreatedOut, ProfileExportOut, ProfileIn, RecommendationsOut
from ranker.present import page_to_dict
from ranker.users.key import UserKeyError
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import recommend_stored, store_profile

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
ProfileId = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _not_found(profile_id: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no stored profile with id {profile_id}")


@router.post("", response_model=ProfileCreatedOut, status_code=201, responses={422: {"model": ErrorOut}})
def create_profile(profile: ProfileIn, store: UserStoreDep, embedder: EmbedderDep) -> dict[str, Any]:
    """Store a profile (encrypted) with its query embedding; returns its id."""
    profile_id = store_profile(store, profile, embedder)
    return {"id": profile_id, "embedding_model": embedder.name}


@router.post(
    "/{profile_id}/recommendations",
    response_model=RecommendationsOut,
    responses={404: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def recommendations_for_stored(
    profile_id: ProfileId, request: Request, index: IndexDep, store: UserStoreDep, embedder: EmbedderDep,
    settings: SettingsDep, k: Annotated[int, Query(ge=1, le=200, description="How many results")] = 10,
) -> dict[str, Any]:
    """Ranked listings for a stored profile; its feedback shapes the ranking (dismissed never return)."""
    try:
        page = recommend_stored(index, store, profile_id, embedder, k=min(k, settings.max_k),
                                cache=request.app.state.score_cache)
    except ProfileNotFoundError:
        raise _not_found(profile_id) from None
    except UserKeyError as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from None
    return page_to_dict(page)


@router.get("/{profile_id}/export", response_model=ProfileExportOut, responses={404: {"model": ErrorOut}})
def export_profile(profile_id: ProfileId, store: UserStoreDep) -> dict[str, Any]:
    """Everything stored about this profile: the profile, its cached embedding and its feedback."""
    try:
        return store.export(profile_id)
    except ProfileNotFoundError:
        raise _not_found(profile_id) from None


@router.delete("/{profile_id}", response_model=DeletedOut, responses={404: {"model": ErrorOut}})
def delete_profile(profile_id: ProfileId, request: Request, store: UserStoreDep) -> dict[str, Any]:
    """Erase the profile, its feedback and its cached embedding (and the scores cached in memory)."""
    request.app.state.score_cache.forget(profile_id)
    try:
        erased = store.delete(profile_id)
    except ProfileNotFoundError:
        raise _not_found(profile_id) from None
    return {"id": profile_id, "erased": erased}
