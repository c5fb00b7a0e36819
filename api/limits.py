"""Limits on what one request, and one API key, may make the API do (OWASP API4:2023).

- **Body size**: a body larger than ``max_body_bytes`` is refused with 413 before it is parsed:
  at once when its Content-Length says so, else as soon as the bytes streamed in pass the limit
  (the read stops there, so a huge body never sits in memory).
- **Page size**: ``k`` (results of a ranking) above ``max_k`` answers 422, not a silent clamp, on
  every route, and the OpenAPI schema states that maximum (api.openapi_docs); a ``limit`` (a page
  of a listing) has its route's own maximum, also 422 above.
- **Rate** per API key: api.rate_limits.
- **Time**: the ranking routes answer 503 (error ``timeout``) when they take longer than
  ``request_timeout_seconds``. The abandoned work finishes in the background (a thread cannot be
  stopped) and its answer is dropped; routes that write are never cut short.
- **Stored profiles** per owner: api.quotas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Iterable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ErrorCode, error_response

log = logging.getLogger("ippo.api")

RESULTS_PARAMETER = "k"
# Routes that rank (read only): cut short after request_timeout_seconds, whatever the method.
TIME_LIMITED_ROUTES = frozenset({
    "/v1/recommendations",
    "/v1/profiles/{profile_id}/recommendations",
    "/v1/listings",
})


# -- body size --------------------------------------------------------------------------------
class BodyTooLargeError(Exception):
    """Raised inside a request's receive when its body passes the limit; never leaves the middleware."""


def too_large_detail(max_bytes: int) -> str:
    return (f"the request body is larger than {max_bytes} bytes, the most this API reads; send a smaller body "
            "(a profile needs far less)")


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimit:
    """413 for a body above ``max_bytes``: by its Content-Length, or while it streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = error_response(413, too_large_detail(self.max_bytes), ErrorCode.PAYLOAD_TOO_LARGE,
                                 headers={"Connection": "close"})
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await refusal(scope, receive, send)
            return
        received = 0
        exceeded = started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app made of the aborted read is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLargeError):
            await self.app(scope, counted_receive, guarded_send)
        if exceeded and not started:
            await refusal(scope, receive, send)


# -- page size --------------------------------------------------------------------------------
def page_size_cap(max_k: int) -> Callable[[Request], Awaitable[None]]:
    """An app-wide dependency: 422 when ``k`` asks for more than ``max_k`` results (a value that is
    not a whole number is left to the route's own validation). Async, as it only reads the query:
    it runs on the event loop instead of taking a trip through the thread pool."""

    async def cap_page_size(request: Request) -> None:
        value = request.query_params.get(RESULTS_PARAMETER)
        if value is not None and value.strip().isdigit() and int(value) > max_k:
            raise RequestValidationError([{
                "type": "less_than_equal", "loc": ("query", RESULTS_PARAMETER),
                "msg": f"at most {max_k} results per request (IPPO_MAX_K); ask for {max_k} or fewer",
            }])

    return cap_page_size


# -- time -------------------------------------------------------------------------------------
def timeout_detail(seconds: float) -> str:
    return (f"the ranking took longer than {seconds:g} s and was abandoned; retry later, or ask for fewer "
            "results (k) or a narrower profile")


class RequestTimeout:
    """503 (error timeout) when a request to one of TIME_LIMITED_ROUTES takes longer than ``seconds``;
    ``template_of`` names the route template a request goes to (None: no route)."""

    def __init__(self, app: ASGIApp, seconds: float, template_of: Callable[[Scope], str | None]) -> None:
        self.app = app
        self.seconds = seconds
        self.template_of = template_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        template = self.template_of(scope) if scope["type"] == "http" else None
        if template not in TIME_LIMITED_ROUTES:
            await self.app(scope, receive, send)
            return
        started = abandoned = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({work}, timeout=self.seconds)
        if work in done or started:
            await work
            return
        abandoned = True
        work.add_done_callback(_forget)
        log.warning("timed out after %g s: %s %s", self.seconds, scope.get("method", "?"), template)
        await error_response(503, timeout_detail(self.seconds), ErrorCode.TIMEOUT,
                             headers={"Retry-After": "5"})(scope, receive, send)


def _forget(work: asyncio.Future[None]) -> None:
    """The end of abandoned work: its result is dropped; an exception is logged by its type only."""
    if not work.cancelled() and work.exception() is not None:
        log.error("abandoned request ended with %s", type(work.exception()).__name__)


class RouteTemplates:
    """Which of some route templates a request's path is for, before the router has matched it
    (templates with fewer parameters first, so a literal segment wins over a parameter)."""

    def __init__(self, templates: Callable[[], Iterable[str]]) -> None:
        self._templates = templates
        self._compiled: list[tuple[re.Pattern[str], str]] | None = None

    def __call__(self, scope: Scope) -> str | None:
        if self._compiled is None:
            ordered = sorted(set(self._templates()), key=lambda template: (template.count("{"), template))
            self._compiled = [(compile_path(template)[0], template) for template in ordered]
        path = scope.get("path", "")
        return next((template for pattern, template in self._compiled if pattern.match(path)), None)
