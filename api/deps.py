"""Dependencies shared by the routers, as annotated aliases.

Those that only read the app's state are ``async``: FastAPI runs a plain ``def`` dependency in
its thread pool, and a trip there and back per dependency is more work than the lookup, and
waits for the Python lock behind the requests being ranked. ``get_index`` stays a thread-pool
call: it reads the snapshot pointer, and before the first index exists it waits for the load."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from api.snapshots import NoSnapshotError
from ippo.config import Settings
from pipeline.embedding import Embedder
from ranker.query_vectors import QueryVectorCache, TextEncoder
from ranker.serving_index import ServingIndex
from ranker.users.store import UserStore


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_embedder(request: Request) -> Embedder:
    return request.app.state.embedder


async def get_query_vectors(request: Request) -> TextEncoder:
    """The embedder behind the app's cache of query vectors (ranker.query_vectors), for ad hoc profiles."""
    cache: QueryVectorCache = request.app.state.query_vectors
    return cache


def get_index(request: Request) -> ServingIndex:
    try:
        return request.app.state.snapshots.get()
    except NoSnapshotError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None


def opened(request: Request, name: str, closed: str) -> Any:
    """The app's open resource ``name`` (set by the lifespan), else 503 with the reason the
    lifespan recorded in ``<name>_problem`` (or ``closed``)."""
    resource = getattr(request.app.state, name, None)
    if resource is None:
        problem = getattr(request.app.state, f"{name}_problem", None) or closed
        raise HTTPException(status_code=503, detail=problem)
    return resource


async def get_user_store(request: Request) -> UserStore:
    store: UserStore = opened(request, "users", "the user store is not open")
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
QueryVectorsDep = Annotated[TextEncoder, Depends(get_query_vectors)]
IndexDep = Annotated[ServingIndex, Depends(get_index)]
UserStoreDep = Annotated[UserStore, Depends(get_user_store)]
