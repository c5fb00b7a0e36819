from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import SettingsDep
from api.schemas import Health
from api.snapshots import NoSnapshotError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(request: Request, settings: SettingsDep) -> Health:
    """Up, and which snapshot is being served (status "no_data" before the first publish)."""
    try:
        index = request.app.state.snapshots.get()
    except NoSnapshotError:
        return Health(status="no_data", snapshot_version=None, listings=0, open_listings=0,
                      embedding_model=settings.embedding_model)
    return Health(status="ok", snapshot_version=index.version, listings=len(index),
                  open_listings=int(index.open_mask().sum()), embedding_model=settings.embedding_model)
