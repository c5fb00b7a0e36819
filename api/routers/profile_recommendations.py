"""Recommendations for a stored profile, page by page (GET beside the POST of api.routers.profiles)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
