"""The OpenAPI document states every error a route can answer, with the one error body and examples.

Rather than each router listing its errors by hand (and forgetting some), the document is
completed once, from what the app does to every route:

- every route: 500 (an unexpected error);
- a route that needs an API key: 401, 403, 429 (the key's rate) and 503 (key database closed);
- a route with path parameters: 404; with a body: 400 (not JSON), 413 (too large) and 422;
  with query or path parameters: 422;
- a ranking route (api.limits.TIME_LIMITED_ROUTES): 503 with the error ``timeout``.

Codes a router declares itself (e.g. 410 for an expired cursor) keep their place and get the
same body. FastAPI's own validation-error schema is replaced by the error body, since that is
what a 422 returns, and ``k`` states the configured most results (``max_k``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import INTERNAL_ERROR_DETAIL, ErrorCode, code_for, error_body
from api.limits import RESULTS_PARAMETER, TIME_LIMITED_ROUTES, timeout_detail, too_large_detail
from api.schemas import ErrorOut

ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/ErrorOut"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _example(summary: str, status: int, detail: str, code: ErrorCode | None = None,
             problems: tuple[dict[str, str], ...] = ()) -> dict[str, Any]:
    return {"summary": summary, "value": error_body(status, detail, code, problems)}


def error_examples(max_body_bytes: int, timeout_seconds: float) -> dict[int, tuple[str, dict[str, dict[str, Any]]]]:
    """Per status: its description and named examples of the error body."""
    return {
        400: ("Bad request: the body is not JSON, or a cursor this API did not give out", {
            "not_json": _example("the body is not valid JSON", 400, "the body is not valid JSON", ErrorCode.BAD_REQUEST,
                                 ({"field": "body", "problem": "the body is not valid JSON; send a JSON object with "
                                   "Content-Type: application/json"},)),
        }),
        401: ("No API key, or a key that is unknown, revoked or expired (WWW-Authenticate: Bearer)", {
            "missing": _example("no key sent", 401, "an API key is required: send 'Authorization: Bearer <key>' (an "
                                "operator makes keys with `ippo keys create`)"),
            "revoked": _example("a revoked key", 401, "API key k3f9a0c1b2d has been revoked"),
        }),
        403: ("The key lacks the route's scope, may not do this to the profile, or its owner stores the most "
              "profiles allowed", {
            "scope": _example("a scope is missing", 403, "API key k3f9a0c1b2d lacks the scope this route needs: "
                              "profiles"),
            "quota": _example("the owner's profile quota is spent", 403, "org:center-a already stores 1000 profiles, "
                              "the most one API key or organisation may store (1000); erase profiles no longer needed "
                              "(DELETE /v1/profiles/{id}) or ask the operator to raise IPPO_MAX_PROFILES_PER_OWNER",
                              ErrorCode.QUOTA_EXCEEDED),
        }),
        404: ("Not found, or not reachable with this key (the same answer: a key learns nothing of others' "
              "profiles)", {
            "profile": _example("a profile the key does not reach", 404, "no stored profile with id p_x1y2z3"),
        }),
        409: ("Conflict: the work asked for is already under way", {
            "running": _example("already running", 409, "refresh r1 is still running; follow it at /v1/admin/runs/r1 "
                                "and start another once it has ended"),
        }),
        410: ("Gone: a cursor of a snapshot that is no longer served", {
            "cursor": _example("a cursor of an older snapshot", 410, "the cursor belongs to snapshot "
                               "20261126T000000Z, and snapshot 20261127T000000Z is served now; start again without "
                               "cursor"),
        }),
        413: ("The body is larger than the API reads (IPPO_MAX_BODY_BYTES); refused before parsing", {
            "too_large": _example("a body over the limit", 413, too_large_detail(max_body_bytes)),
        }),
        422: ("The request is not what the route takes: each problem names the field, never the value given", {
            "invalid": _example("an unknown need and an unknown field", 422, "the request is not valid: 2 problems "
                                "(needs, colour); see problems", ErrorCode.INVALID_REQUEST, (
                                    {"field": "needs", "problem": "unknown need(s); use the tags: ..."},
                                    {"field": "colour", "problem": "this field is not part of the request; remove "
                                     "it (the OpenAPI schema at /docs lists the fields)"})),
        }),
        429: ("The key made more requests than its rate allows (Retry-After: seconds to wait)", {
            "rate": _example("too many requests", 429, "API key k3f9a0c1b2d made more requests than its rate allows; "
                             "retry in 2 s"),
        }),
        500: ("An unexpected error; nothing of the request is logged or kept", {
            "internal": _example("an unexpected error", 500, INTERNAL_ERROR_DETAIL),
        }),
        503: ("Not available now: no snapshot published yet, the key database or user store closed, or a ranking "
              "that took too long (error timeout, Retry-After)", {
            "no_snapshot": _example("nothing published yet", 503, "no published snapshot yet; run `ippo refresh` (or "
                                    "`ippo demo`) first"),
            "timeout": _example("a ranking that took too long", 503, timeout_detail(timeout_seconds),
                                ErrorCode.TIMEOUT),
        }),
    }


def _statuses(path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses this operation can answer (the module's rules, plus those it declares)."""
    statuses = {500} | {int(code) for code in operation.get("responses", {}) if str(code)[0] in "45"}
    parameters = operation.get("parameters", [])
    if operation.get("security"):
        statuses |= {401, 403, 429, 503}
    if any(p.get("in") == "path" for p in parameters):
        statuses |= {404, 422}
    if any(p.get("in") == "query" for p in parameters):
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if path in TIME_LIMITED_ROUTES:
        statuses.add(503)
    return statuses


def _document(path: str, operation: dict[str, Any], examples: dict[int, tuple[str, dict[str, Any]]],
              max_k: int) -> None:
    responses = operation.setdefault("responses", {})
    for status in sorted(_statuses(path, operation)):
        description, named = examples.get(status) or (f"Error {status}", {
            str(code_for(status)): _example(f"an error {status}", status, "what went wrong and what to do")})
        relevant = {name: example for name, example in named.items()
                    if name != "timeout" or path in TIME_LIMITED_ROUTES}
        media: dict[str, Any] = {"schema": ERROR_SCHEMA_REF}
        if relevant:
            media["examples"] = relevant
        responses[str(status)] = {"description": description, "content": {"application/json": media}}
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == RESULTS_PARAMETER:
            parameter["schema"]["maximum"] = max_k


def document_errors(app: FastAPI, max_k: int, max_body_bytes: int, timeout_seconds: float) -> Callable[[], dict]:
    """An ``app.openapi`` that completes FastAPI's document as the module says (made once, then kept)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                             description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        examples = error_examples(max_body_bytes, timeout_seconds)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                _document(path, operation, examples, max_k)
        for name in _FASTAPI_VALIDATION_SCHEMAS:
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    return openapi
