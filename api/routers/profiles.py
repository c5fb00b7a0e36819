"""Stored profiles: create, list, read, recommend for, export (right of access), delete
(erasure), and the counselor grants a person gives.

Profiles are special-care personal data: stored encrypted, never logged, and never put in
an error body. Responses name ids and problems, not content, except the read and the export,
which are the person's own copy of what is stored (or a granted counselor's). Each route
needs an API key with the scope named in its description (api.auth); which profiles a key
reaches is decided by api.access: any other profile is answered 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from api.access import Action, authorize, not_found, visible_profiles
from api.auth import ProfileEraserKey, ProfileOwnerKey, ProfileReaderKey, ProfileRecommendKey, get_authenticator
from api.deps import EmbedderDep, IndexDep, SettingsDep, UserStoreDep
from api.quotas import ProfileCreatorKey
from api.schemas import (
    DeletedOut,
    ErrorOut,
    GrantIn,
    GrantOut,
    ProfileCreatedOut,
    ProfileExportOut,
    ProfileIn,
    ProfileListItem,
    ProfileOut,
    RecommendationsOut,
)
from ranker.present import page_to_dict
from ranker.users.api_keys import utc_now
from ranker.users.key import UserKeyError
from ranker.users.store import GrantNotFoundError, ProfileNotFoundError
from ranker.users.stored import recommend_stored, store_profile

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
ProfileId = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
KeyId = Annotated[str, Path(pattern=r"^k[0-9a-f]{10}$", description="a counselor's API key id")]
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}}
PROFILE_ERRORS: dict[int | str, dict[str, Any]] = AUTH_ERRORS | {404: {"model": ErrorOut}}


@router.post("", response_model=ProfileCreatedOut, status_code=201,
             responses=AUTH_ERRORS | {422: {"model": ErrorOut}})
def create_profile(profile: ProfileIn, key: ProfileCreatorKey, store: UserStoreDep,
                   embedder: EmbedderDep) -> dict[str, Any]:
    """Store a profile (encrypted) with its query embedding; returns its id. Scope: profiles. The
    profile belongs to the key's organisation (or to the key, when it has none)."""
    profile_id = store_profile(store, profile, embedder, owner=key.owner)
    return {"id": profile_id, "embedding_model": embedder.name}


@router.get("", response_model=list[ProfileListItem], responses=AUTH_ERRORS)
def list_profiles(key: ProfileReaderKey, store: UserStoreDep) -> list[dict[str, str]]:
    """The profiles this key reaches (ids only). Scope: profiles (its owner's), counselor (granted
    to it) or admin (those without an owner)."""
    return visible_profiles(key, store)


@router.get("/{profile_id}", response_model=ProfileOut, responses=PROFILE_ERRORS)
def read_profile(profile_id: ProfileId, key: ProfileReaderKey, store: UserStoreDep) -> dict[str, Any]:
    """The stored profile (decrypted). Scope: profiles, counselor (when granted) or admin (unowned)."""
    authorize(key, store, profile_id, Action.READ)
    try:
        stored = store.get(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    return {"id": stored.id, "created_at": stored.created_at.isoformat(),
            "profile": stored.profile.model_dump(mode="json")}


@router.post(
    "/{profile_id}/recommendations",
    response_model=RecommendationsOut,
    responses=PROFILE_ERRORS | {503: {"model": ErrorOut}},
)
def recommendations_for_stored(
    profile_id: ProfileId, key: ProfileRecommendKey, request: Request, index: IndexDep, store: UserStoreDep,
    embedder: EmbedderDep, settings: SettingsDep,
    k: Annotated[int, Query(ge=1, le=200, description="How many results")] = 10,
) -> dict[str, Any]:
    """Ranked listings for a stored profile; its feedback shapes the ranking (dismissed never
    return). Scope: profiles or counselor (when granted)."""
    authorize(key, store, profile_id, Action.RECOMMEND)
    try:
        page = recommend_stored(index, store, profile_id, embedder, k=min(k, settings.max_k),
                                cache=request.app.state.score_cache)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    except UserKeyError as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from None
    return page_to_dict(page)


@router.get("/{profile_id}/export", response_model=ProfileExportOut, responses=PROFILE_ERRORS)
def export_profile(profile_id: ProfileId, key: ProfileReaderKey, store: UserStoreDep) -> dict[str, Any]:
    """Everything stored about this profile: the profile, its cached embedding, its feedback, its
    owner and its grants. Scope: profiles, counselor (when granted) or admin (unowned)."""
    authorize(key, store, profile_id, Action.EXPORT)
    try:
        return store.export(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None


@router.delete("/{profile_id}", response_model=DeletedOut, responses=PROFILE_ERRORS)
def delete_profile(profile_id: ProfileId, key: ProfileEraserKey, request: Request,
                   store: UserStoreDep) -> dict[str, Any]:
    """Erase the profile, its feedback, its grants and its cached embedding (and the scores cached
    in memory). Scope: profiles or admin (unowned); never counselor."""
    authorize(key, store, profile_id, Action.DELETE)
    request.app.state.score_cache.forget(profile_id)
    try:
        erased = store.delete(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    return {"id": profile_id, "erased": erased}


@router.post("/{profile_id}/grants", response_model=GrantOut, status_code=201,
             responses=PROFILE_ERRORS | {422: {"model": ErrorOut}})
def grant_counselor(profile_id: ProfileId, body: GrantIn, key: ProfileOwnerKey, request: Request,
                    store: UserStoreDep) -> dict[str, Any]:
    """Let a counselor's key read, recommend for and export this profile, with the person's
    consent (``consent`` must be true). Scope: profiles (the owner's key)."""
    authorize(key, store, profile_id, Action.GRANT)
    if not body.consent:
        raise HTTPException(status_code=422, detail=[{"field": "consent", "problem": "must be true: a counselor "
                                                      "sees a profile only with the person's consent"}])
    counselor = get_authenticator(request).store.find(body.counselor_key_id)
    if counselor is None or "counselor" not in counselor[0].scopes or not counselor[0].active(utc_now()):
        raise HTTPException(status_code=422, detail=[{"field": "counselor_key_id", "problem": "names no active "
                                                      "API key with the counselor scope"}])
    try:
        return store.add_grant(profile_id, body.counselor_key_id, granted_by=key.owner)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None


@router.delete("/{profile_id}/grants/{counselor_key_id}", response_model=GrantOut, responses=PROFILE_ERRORS)
def withdraw_grant(profile_id: ProfileId, counselor_key_id: KeyId, key: ProfileOwnerKey,
                   store: UserStoreDep) -> dict[str, Any]:
    """Withdraw a counselor's access at once; the grant stays in the export, marked withdrawn.
    Scope: profiles (the owner's key)."""
    authorize(key, store, profile_id, Action.GRANT)
    try:
        withdrawn = store.withdraw_grant(profile_id, counselor_key_id)
    except GrantNotFoundError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return withdrawn
