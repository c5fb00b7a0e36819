"""The API's logs: JSON lines, and one line per request.

Each request ends with one record on the logger ``ippo.api.requests``:
``{"time", "level", "logger", "message", "method", "route", "status", "ms", "key_id"}`` — the
route as its template (``/v1/profiles/{profile_id}``, never the raw path with its ids), the
status sent, the latency in milliseconds and the id of the API key that made it (null before a
key was accepted). Never the key's secret, the query string, a header or a body: a profile may
hold health or disability information.

``ippo serve`` hands ``log_config()`` to uvicorn, so every record of the server (uvicorn's,
ippo's, a library's) is written as one JSON object per line on stderr. An exception attached to
a record is written as its type only: a message or a traceback may quote the request.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.internal_errors import NO_ROUTE, route_template

requests_log = logging.getLogger("ippo.api.requests")

# The request fields a record may carry (``extra={"request": {...}}``), in the order written.
REQUEST_FIELDS = ("method", "route", "status", "ms", "key_id")


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, the request
    fields when the record has them, and an exception's type (never its message or traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if isinstance(request, dict):
            line.update((name, request.get(name)) for name in REQUEST_FIELDS)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for the API process (uvicorn's ``log_config``): JSON lines on
    stderr for every logger; uvicorn's access log off (the request line replaces it)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLinesFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class RequestLog:
    """Logs one line per HTTP request once it is answered (api docs: the request log)."""

    def __init__(self, app: ASGIApp, template_of: Callable[[Scope], str | None] | None = None) -> None:
        self.app = app
        self.template_of = template_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            self._log(scope, status, (time.perf_counter() - started) * 1000.0)

    def _route(self, scope: Scope) -> str:
        """The template of the route that answered, or of the one the request was for when it was
        answered before routing (a 413, a 503 timeout)."""
        template = route_template(scope)
        if template == NO_ROUTE and self.template_of is not None:
            return self.template_of(scope) or NO_ROUTE
        return template

    def _log(self, scope: Scope, status: int, ms: float) -> None:
        state = scope.get("state") or {}
        key_id = state.get("key_id") if isinstance(state, dict) else getattr(state, "key_id", None)
        method, route = scope.get("method", "?"), self._route(scope)
        fields = {"method": method, "route": route, "status": status, "ms": round(ms, 1), "key_id": key_id}
        requests_log.info("%s %s %d %.1f ms", method, route, status, ms, extra={"request": fields})
