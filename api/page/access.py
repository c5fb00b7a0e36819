"""Which stored profile a page request reaches: only the one its page identity owns.

The identity's profile must carry the owner ``page:<identity id>`` in the user store, as an API
key's profile carries its key or organisation (api.access): anything else is answered as a page
that does not exist (404), so nobody learns of another person's profile.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.page.security import current_identity
from ranker.users.page_identities import PageIdentity
from ranker.users.store import ProfileNotFoundError, UserStore


@dataclass(frozen=True)
class Own:
    """The person's identity, their profile's id and the open user store."""

    identity: PageIdentity
    profile_id: str
    store: UserStore


def user_store(request: Request) -> UserStore | None:
    """The API's user store, or None when it is not open (the page then says so calmly)."""
    return getattr(request.app.state, "users", None)


def owns(store: UserStore, identity: PageIdentity, profile_id: str) -> bool:
    try:
        return store.owner_of(profile_id) == identity.owner
    except ProfileNotFoundError:
        return False


def own_profile(request: Request) -> Own | None:
    """The profile this browser's identity owns, or None (no identity, no profile yet, or the
    profile is gone or not its own)."""
    store = user_store(request)
    identity = current_identity(request)
    if store is None or identity is None or identity.profile_id is None:
        return None
    if not owns(store, identity, identity.profile_id):
        return None
    return Own(identity, identity.profile_id, store)
