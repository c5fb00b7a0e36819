"""Query parameters a route does not declare are refused (422), as unknown body fields are:
a misspelt ``limt`` or ``tag`` must not be silently ignored and answered as if it were absent."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError


def _declared(request: Request) -> set[str] | None:
    """The query parameters the matched route declares (its own and its dependencies'), or None
    when no route matched."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return None
    return set(_query_names(dependant))


def _query_names(dependant: Dependant) -> list[str]:
    names = [param.alias for param in dependant.query_params]
    for sub in dependant.dependencies:
        names += _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """An app-wide dependency: 422 naming each query parameter the route does not declare (the
    error shape keeps a name only when it reads as a field name, never a value). Async, as it only
    reads the request: it runs on the event loop instead of taking a trip through the thread pool."""
    declared = _declared(request)
    if declared is None:
        return
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in declared]
    if unknown:
        raise RequestValidationError([
            {"type": "extra_forbidden", "loc": ("query", name),
             "msg": "not a parameter of this route; see the documented parameters"}
            for name in unknown
        ])
