"""Partial update of a stored profile (owner only)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
