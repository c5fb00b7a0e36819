"""Dependencies shared by the routers, as annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.settings import Settings
from api.snapshots import NoSnapshotError
from ranker.embedding import Embedder
from ranker.serving_index import ServingIndex


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_embedder(request: Request) -> Embedder:
    return request.app.state.embedder


def get_index(request: Request) -> ServingIndex:
    try:
        return request.app.state.snapshots.get()
    except NoSnapshotError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
IndexDep = Annotated[ServingIndex, Depends(get_index)]
