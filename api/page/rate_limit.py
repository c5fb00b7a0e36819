"""How often the page's forms may be sent: token buckets (api.rate_limits.TokenBuckets) per page
identity and per client address, for every POST route of the page.

A POST spends one token of the client address's bucket and, when the browser holds an identity,
one of that identity's; when either is spent the page answers 429 in the person's language, calmly,
with ``Retry-After``, and nothing of the form is done. Starting (no identity yet) is limited by the
address alone, so one machine cannot make identities without end. The identity's bucket is keyed
by a digest of the identity cookie, never by the secret itself; nothing of the request is logged.
Each process counts on its own (as the API's limiter does).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from api.page.rendering import render, words_for
from api.page.security import IDENTITY_COOKIE
from api.rate_limits import TokenBuckets

# A person sends a form every few seconds at the quickest (a step, a save, a hide); a burst of 60
# then one a second is more than a person needs and less than a script wants. Many people may
# share one address (a support office, a library), so the address gets more.
PER_IDENTITY_PER_MINUTE = 60.0
PER_IDENTITY_BURST = 60
PER_ADDRESS_PER_MINUTE = 300.0
PER_ADDRESS_BURST = 120


@dataclass
class PageLimits:
    """The page's buckets; ``app.state.page_rate_limits`` holds one (made on first use)."""

    identities: TokenBuckets
    addresses: TokenBuckets

    @classmethod
    def default(cls) -> PageLimits:
        return cls(TokenBuckets(PER_IDENTITY_PER_MINUTE, PER_IDENTITY_BURST),
                   TokenBuckets(PER_ADDRESS_PER_MINUTE, PER_ADDRESS_BURST))


def _limits(request: Request) -> PageLimits:
    limits: PageLimits | None = getattr(request.app.state, "page_rate_limits", None)
    if limits is None:
        limits = PageLimits.default()
        request.app.state.page_rate_limits = limits
    return limits


def _identity_key(request: Request) -> str | None:
    cookie = request.cookies.get(IDENTITY_COOKIE)
    return hashlib.sha256(cookie.encode()).hexdigest()[:32] if cookie else None


def wait_seconds(request: Request) -> float:
    """Spend the request's tokens: 0.0 when it may go on, else the seconds to wait."""
    limits = _limits(request)
    address = request.client.host if request.client else "unknown"
    wait = limits.addresses.take(address)
    identity = _identity_key(request)
    if identity is not None:
        wait = max(wait, limits.identities.take(identity))
    return wait


def too_many(request: Request, wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    response = render(request, "error.html", status=429, message=words_for(request)("error.too_many", seconds=seconds))
    response.headers["Retry-After"] = str(seconds)
    return response


class LimitedRoute(APIRoute):
    """A page route whose POSTs are charged to the identity and the address before anything runs."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            if request.method == "POST":
                wait = wait_seconds(request)
                if wait > 0:
                    return too_many(request, wait)
            return await handler(request)

        return limited
