from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from api.deps import SettingsDep
from api.schemas import ErrorOut, Health
from api.snapshots import NoSnapshotError

router = APIRouter(tags=["health"])


class Ready(BaseModel):
    status: str
    snapshot_version: str


@router.get("/health", response_model=Health)
def health(request: Request, settings: SettingsDep) -> Health:
    """Liveness: up, and which snapshot is being served (status "no_data" while there is none)."""
    try:
        index = request.app.state.snapshots.get()
    except NoSnapshotError:
        return Health(status="no_data", snapshot_version=None, listings=0, open_listings=0,
                      embedding_model=settings.embedding_model)
    return Health(status="ok", snapshot_version=index.version, listings=len(index),
                  open_listings=int(index.open_mask().sum()), embedding_model=settings.embedding_model)


@router.get("/ready", response_model=Ready, responses={503: {"model": ErrorOut}})
def ready(request: Request) -> Ready:
    """Readiness: 200 when a snapshot is served, else 503 with the reason (e.g. nothing published yet)."""
    try:
        index = request.app.state.snapshots.get()
    except NoSnapshotError as exc:
        raise HTTPException(status_code=503, detail=f"not ready: {exc}") from None
    return Ready(status="ready", snapshot_version=index.version)
