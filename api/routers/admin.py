"""Operator routes (scope admin): give an owner to a profile that has none.

Profiles stored before the API had keys (or with `ippo profiles add`) have no owner: only an
admin key reaches them (list, read, export, delete; api.access). This route hands one to an
organisation or to a key, after which the admin key no longer reaches it. A profile owned by a
key without organisation that has since been revoked or has expired can be handed on too, so it
is never stranded; a profile with a live owner cannot be taken from it (404, as for any profile the key does not reach).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from api.access import Action, authorize, not_found
from api.auth import AdminKey, get_authenticator
from api.deps import UserStoreDep
from api.routers.profiles import ProfileId
from api.schemas import ErrorOut, OwnerIn, OwnerOut
from ranker.users.api_keys import ApiKeyAuthenticator, utc_now
from ranker.users.store import ProfileNotFoundError, UserStore

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def _stranded(owner: str | None, keys: ApiKeyAuthenticator) -> bool:
    """No owner, or a key owner that can no longer call the API."""
    if owner is None:
        return True
    if not owner.startswith("key:"):
        return False
    found = keys.store.find(owner.removeprefix("key:"))
    return found is None or not found[0].active(utc_now())


def _new_owner(body: OwnerIn, keys: ApiKeyAuthenticator) -> str:
    if (body.org is None) == (body.key_id is None):
        raise HTTPException(status_code=422, detail=[{"field": "body", "problem": "give exactly one of org, key_id"}])
    if body.org is not None:
        return f"org:{body.org}"
    found = keys.store.find(body.key_id or "")
    if found is None or not found[0].active(utc_now()) or found[0].org is not None:
        raise HTTPException(status_code=422, detail=[{"field": "key_id", "problem": "names no active API key "
                                                      "without organisation (give org for a key that has one)"}])
    return f"key:{found[0].id}"


def _owner(store: UserStore, profile_id: str) -> str | None:
    try:
        return store.owner_of(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None


@router.put("/profiles/{profile_id}/owner", response_model=OwnerOut,
            responses={code: {"model": ErrorOut} for code in (401, 403, 404, 422)})
def set_owner(profile_id: ProfileId, body: OwnerIn, key: AdminKey, request: Request,
              store: UserStoreDep) -> dict[str, Any]:
    """Give an owner (an organisation, or a key without one) to a profile without a live owner."""
    keys = get_authenticator(request)
    owner = _owner(store, profile_id)
    if not _stranded(owner, keys):
        # A live owner's profile: 404 like any profile this key does not reach (403 if it reaches it
        # some other way, e.g. as its owner: reassigning is never allowed then).
        authorize(key, store, profile_id, Action.REASSIGN)
        raise not_found(profile_id)
    new_owner = _new_owner(body, keys)
    store.set_owner(profile_id, new_owner)
    return {"id": profile_id, "owner": new_owner}
