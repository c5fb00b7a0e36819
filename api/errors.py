"""The one error body of the API, and the handlers that answer every 4xx and 5xx with it.

Every error, whoever raises it (a router, a dependency, validation, routing, the body-size,
rate-limit and timeout middlewares, the handler of unexpected exceptions), answers::

    {"status": 422, "error": "invalid_request", "detail": "...", "problems": [{"field": ..., "problem": ...}]}

``detail`` says what went wrong and what to do; ``problems`` lists the fields at fault (empty
but for invalid requests). Neither ever holds a submitted value: a profile may hold health or
disability information. Field names are echoed only when they look like field names (ASCII
identifiers), since an unknown field's name is itself submitted text. Errors name ids (of a
profile, a listing, a key), never content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import compile_path


class ErrorCode(StrEnum):
    """What kind of error an answer is (the ``error`` field), one per distinct cause."""

    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    QUOTA_EXCEEDED = "quota_exceeded"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    GONE = "gone"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    INVALID_REQUEST = "invalid_request"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"


DEFAULT_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST, 401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED, 409: ErrorCode.CONFLICT, 410: ErrorCode.GONE,
    413: ErrorCode.PAYLOAD_TOO_LARGE, 422: ErrorCode.INVALID_REQUEST, 429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.INTERNAL_ERROR, 503: ErrorCode.UNAVAILABLE,
}

INTERNAL_ERROR_DETAIL = "internal error; the request was not stored"
# Starlette's own words for a path or method no route takes, said with what to do.
_ROUTING_DETAILS = {
    (404, "Not Found"): "no route at this path; the OpenAPI page /docs lists the routes",
    (405, "Method Not Allowed"): "this route does not take this method; the Allow header lists the ones it takes",
}
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class ApiError(StarletteHTTPException):
    """An HTTP error with its own code (e.g. quota_exceeded for a 403, timeout for a 503)."""

    def __init__(self, status_code: int, detail: str, code: ErrorCode | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=dict(headers) if headers else None)
        self.code = code or code_for(status_code)


def code_for(status: int) -> ErrorCode:
    """The default code of a status (the generic one of its class when it has none of its own)."""
    if status in DEFAULT_CODES:
        return DEFAULT_CODES[status]
    return ErrorCode.INTERNAL_ERROR if status >= 500 else ErrorCode.BAD_REQUEST


def error_body(status: int, detail: str, code: ErrorCode | None = None,
               problems: Iterable[Mapping[str, str]] = ()) -> dict[str, Any]:
    """The error body; the single place it is built."""
    return {"status": status, "error": str(code or code_for(status)), "detail": detail,
            "problems": [{"field": p["field"], "problem": p["problem"]} for p in problems]}


def error_response(status: int, detail: str, code: ErrorCode | None = None, problems: Iterable[Mapping[str, str]] = (),
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(status, detail, code, problems),
                        headers=dict(headers) if headers else None)


def field_path(loc: Sequence[Any]) -> str:
    """A validation error's location as a dotted path without the submitted names that are not
    field names: ``body.constraints.remote`` -> ``constraints.remote``, ``query.k`` stays."""
    parts = []
    for part in loc:
        if part == "body":
            continue
        if isinstance(part, int):
            parts.append(str(part))
        elif isinstance(part, str) and _FIELD_NAME.match(part):
            parts.append(part)
        else:
            parts.append("(a name)")
    return ".".join(parts) or "body"


def _problem_text(error: Mapping[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "the body is not valid JSON; send a JSON object with Content-Type: application/json"
    if error.get("type") == "extra_forbidden":
        return "this field is not part of the request; remove it (the OpenAPI schema at /docs lists the fields)"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def validation_problems(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """One problem per validation error: where and what, never the value given."""
    return [{"field": "body" if error.get("type") == "json_invalid" else field_path(error.get("loc", ())),
             "problem": _problem_text(error)} for error in errors]


def invalid_detail(problems: Sequence[Mapping[str, str]]) -> str:
    fields = ", ".join(dict.fromkeys(p["field"] for p in problems))
    noun = "problem" if len(problems) == 1 else "problems"
    return f"the request is not valid: {len(problems)} {noun} ({fields}); see problems"


def allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document lists at the request's path. Starlette's own 405 names
    only the methods of the first route that matched the path, while several routes may share it."""
    path = request.url.path
    paths = request.app.openapi().get("paths", {})
    return sorted({method.upper() for template, operations in paths.items()
                   if compile_path(template)[0].match(path) for method in operations})


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = getattr(exc, "code", None)
    if exc.status_code == 405 and (methods := allowed_methods(request)):
        exc.headers = {**(exc.headers or {}), "Allow": ", ".join(methods)}
    if isinstance(exc.detail, list):  # a router's own field problems, e.g. consent must be true
        problems = [{"field": str(p.get("field", "body")), "problem": str(p.get("problem", "invalid"))}
                    for p in exc.detail if isinstance(p, Mapping)]
        return error_response(exc.status_code, invalid_detail(problems), code, problems, exc.headers)
    return error_response(exc.status_code, _ROUTING_DETAILS.get((exc.status_code, exc.detail), str(exc.detail)),
                          code, (), exc.headers)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 for a request that is not what the route takes; 400 for a body that is not JSON at all."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    problems = validation_problems(errors)
    if any(error.get("type") == "json_invalid" for error in errors):
        return error_response(400, "the body is not valid JSON", ErrorCode.BAD_REQUEST, problems)
    return error_response(422, invalid_detail(problems), ErrorCode.INVALID_REQUEST, problems)


def install_error_handlers(app: FastAPI) -> None:
    """Every HTTP error and every validation error answered with the one error body."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
