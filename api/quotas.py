"""How many profiles an owner may store (OWASP API4:2023).

A profile belongs to the organisation of the key that created it, or to that key when it has
none (api.access); an owner may hold at most ``max_profiles_per_owner`` profiles. One more
answers 403 with the error ``quota_exceeded``, saying how to make room. Two creations at the same
moment may both pass the check, so an owner can end one or two over the limit, never more than
the requests it has in flight.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.auth import ProfileOwnerKey
from api.deps import SettingsDep, UserStoreDep
from api.errors import ApiError, ErrorCode
from ranker.users.api_keys import ApiKey


def profile_quota(key: ProfileOwnerKey, store: UserStoreDep, settings: SettingsDep) -> ApiKey:
    """The caller's key (scope profiles), unless its owner already stores the most profiles allowed."""
    held = len(store.owned_by(key.owner))
    if held >= settings.max_profiles_per_owner:
        raise ApiError(403, f"{key.owner} already stores {held} profiles, the most one API key or organisation "
                       f"may store ({settings.max_profiles_per_owner}); erase profiles no longer needed "
                       "(DELETE /v1/profiles/{id}) or ask the operator to raise IPPO_MAX_PROFILES_PER_OWNER",
                       ErrorCode.QUOTA_EXCEEDED)
    return key


ProfileCreatorKey = Annotated[ApiKey, Depends(profile_quota)]
