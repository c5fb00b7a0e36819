"""Which stored profiles a key may reach (object-level authorisation).

- A profile belongs to the organisation of the key that created it, or to that key itself when
  it has no organisation. A key with the scope ``profiles`` reaches the profiles of its owner,
  for every action.
- A key with the scope ``counselor`` reaches the profiles a person granted to that very key
  (POST /v1/profiles/{id}/grants), to read, recommend for and export; never to delete or to
  give feedback.
- A key with the scope ``admin`` reaches the profiles without an owner (stored before API keys,
  or with `ippo profiles add`), to read, export, delete and give an owner.

Any other profile is answered 404, the answer for a profile that does not exist, so a key
learns nothing of other owners' profiles. A key that may see a profile but not do the action
asked gets 403.
"""

from __future__ import annotations

from enum import StrEnum

from fastapi import HTTPException

from ranker.users.api_keys import ApiKey
from ranker.users.store import ProfileNotFoundError, UserStore


class Action(StrEnum):
    READ = "read"
    UPDATE = "update"
    RECOMMEND = "recommend"
    EXPORT = "export"
    FEEDBACK = "feedback"
    DELETE = "delete"
    GRANT = "grant"
    REASSIGN = "reassign"


COUNSELOR_ACTIONS = frozenset({Action.READ, Action.RECOMMEND, Action.EXPORT})
ADMIN_ACTIONS = frozenset({Action.READ, Action.EXPORT, Action.DELETE, Action.REASSIGN})


def not_found(profile_id: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no stored profile with id {profile_id}")


def _allowed(key: ApiKey, store: UserStore, profile_id: str, owner: str | None) -> frozenset[Action]:
    """The actions this key may take on this profile (empty: it may not know of it)."""
    allowed: set[Action] = set()
    if "profiles" in key.scopes and owner is not None and owner == key.owner:
        allowed.update(Action)
        allowed.discard(Action.REASSIGN)
    if "counselor" in key.scopes and store.has_grant(profile_id, key.id):
        allowed |= COUNSELOR_ACTIONS
    if "admin" in key.scopes and owner is None:
        allowed |= ADMIN_ACTIONS
    return frozenset(allowed)


def authorize(key: ApiKey, store: UserStore, profile_id: str, action: Action) -> None:
    """Return when the key may take the action on the profile; else 404 (or 403 when it may see it)."""
    try:
        owner = store.owner_of(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None
    allowed = _allowed(key, store, profile_id, owner)
    if not allowed:
        raise not_found(profile_id)
    if action not in allowed:
        raise HTTPException(status_code=403, detail=f"API key {key.id} may not {action} profile {profile_id}")


def visible_profiles(key: ApiKey, store: UserStore) -> list[dict[str, str]]:
    """Ids, creation times and the kind of access of the profiles this key may read."""
    seen: dict[str, dict[str, str]] = {}
    if "profiles" in key.scopes:
        for item in store.owned_by(key.owner):
            seen.setdefault(item["id"], item | {"access": "owner"})
    if "counselor" in key.scopes:
        for item in store.granted_to(key.id):
            seen.setdefault(item["id"], item | {"access": "granted"})
    if "admin" in key.scopes:
        for item in store.unowned():
            seen.setdefault(item["id"], item | {"access": "unowned"})
    return sorted(seen.values(), key=lambda item: (item["created_at"], item["id"]))
