"""Dependencies shared by the routers, as annotated aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from api.snapshots import NoSnapshotError
from ippo.config import Settings
from pipeline.embedding import Embedder
from ranker.serving_index import ServingIndex
from ranker.users.store import UserStore


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_embedder(request: Request) -> Embedder:
    return request.app.state.embedder


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


def get_user_store(request: Request) -> UserStore:
    store: UserStore = opened(request, "users", "the user store is not open")
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
IndexDep = Annotated[ServingIndex, Depends(get_index)]
UserStoreDep = Annotated[UserStore, Depends(get_user_store)]
