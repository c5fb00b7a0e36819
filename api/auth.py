"""Who is calling (authentication) and which routes they may call (function-level authorisation).

Every route but /health, /ready and the OpenAPI pages takes ``Authorization: Bearer <key>``
with a key made by ``ippo keys create`` (ranker.users.api_keys). No key, or a key that is
unknown, revoked or expired: 401 with ``WWW-Authenticate: Bearer``. A valid key without any
of the route's scopes: 403. Which profiles a key may reach is decided per profile
(api.access). A refusal is logged with the route template and the key id, never the key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import opened
from api.internal_errors import route_template
from api.rate_limits import charge
from ranker.users.api_keys import ApiKey, ApiKeyAuthenticator, ApiKeyStoreError, InvalidApiKeyError

log = logging.getLogger("ippo.api")

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An ippo API key (`ippo keys create --scopes ...`), sent as `Authorization: Bearer <key>`.",
)


def _challenge(detail: str, error: str | None = None) -> HTTPException:
    value = 'Bearer realm="ippo"' + (f', error="{error}"' if error else "")
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": value})


def get_authenticator(request: Request) -> ApiKeyAuthenticator:
    authenticator: ApiKeyAuthenticator = opened(request, "api_keys", "the API key database is not open")
    return authenticator


def _refused(request: Request, reason: str) -> None:
    log.info("refused %s %s: %s", request.method, route_template(request.scope), reason)


def authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    """The caller's active key, or 401."""
    if credentials is None:
        _refused(request, "no API key")
        raise _challenge("an API key is required: send 'Authorization: Bearer <key>' (an operator makes keys with "
                         "`ippo keys create`)")
    try:
        key = get_authenticator(request).authenticate(credentials.credentials)
    except InvalidApiKeyError as exc:
        _refused(request, str(exc))
        raise _challenge(str(exc), error="invalid_token") from None
    except ApiKeyStoreError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None
    return key


def require(*scopes: str) -> Callable[..., ApiKey]:
    """A dependency: the caller's key, which must hold at least one of ``scopes`` (else 403)."""
    wanted = frozenset(scopes)
    needed = " or ".join(sorted(wanted))

    def caller(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                          Depends(bearer)]) -> ApiKey:
        key = authenticate(request, credentials)
        request.state.key_id = key.id  # named in the request's log line (api.request_log)
        charge(request, key.id)  # the key's rate (api.rate_limits): 429 when spent
        if not key.scopes & wanted:
            _refused(request, f"API key {key.id} lacks the scope {needed}")
            raise HTTPException(
                status_code=403, detail=f"API key {key.id} lacks the scope this route needs: {needed}",
                headers={"WWW-Authenticate": f'Bearer realm="ippo", error="insufficient_scope", scope="{needed}"'},
            )
        return key

    caller.__name__ = f"require_{'_or_'.join(sorted(wanted))}"
    return caller


# The scopes of each kind of route (docs/api.md lists them per route).
RecommendKey = Annotated[ApiKey, Depends(require("recommend"))]
ProfileOwnerKey = Annotated[ApiKey, Depends(require("profiles"))]
ProfileReaderKey = Annotated[ApiKey, Depends(require("profiles", "counselor", "admin"))]
ProfileRecommendKey = Annotated[ApiKey, Depends(require("profiles", "counselor"))]
ProfileEraserKey = Annotated[ApiKey, Depends(require("profiles", "admin"))]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]
