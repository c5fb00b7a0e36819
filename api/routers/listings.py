"""Listings of the served snapshot: search and one listing as served (scope recommend)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/listings", tags=["listings"])
