"""The API's answer to an unexpected exception: the one error shape, with nothing of the request.

An exception's message or traceback may quote a profile (health or disability information), so
neither is logged: one line names the exception's type and the route (method and route template,
e.g. ``GET /v1/profiles/{profile_id}/recommendations``, never the raw path with its ids).

This is an ASGI middleware rather than a Starlette exception handler on purpose: Starlette's
outermost error middleware calls such a handler and then re-raises, and uvicorn logs the re-raised
exception with its full traceback. Here the exception stops, so no server logger sees it.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import INTERNAL_ERROR_DETAIL, error_response

log = logging.getLogger("ippo.api")


NO_ROUTE = "(no route matched)"


def route_template(scope: Scope) -> str:
    """The matched route's template, or a placeholder when routing had not matched one yet."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) else NO_ROUTE


class UnexpectedErrorMiddleware:
    """Answers an unexpected exception with 500 and the error shape; logs its type and route only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:  # the one place that answers for every unexpected error
            log.error("unexpected %s on %s %s", type(exc).__name__, scope.get("method", "?"), route_template(scope))
            if not started:
                await error_response(500, INTERNAL_ERROR_DETAIL)(scope, receive, send)
