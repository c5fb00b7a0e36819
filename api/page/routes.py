"""The page's routes: the job seeker's (api.page.seeker), the counselor's (api.page.counselor) and
the one style sheet."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.page import counselor, seeker
from api.page.security import SECURITY_HEADERS

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)
router.include_router(seeker.router)
router.include_router(counselor.router)


@router.get("/page.css")
def style_sheet(request: Request) -> Response:
    headers = SECURITY_HEADERS | {"Cache-Control": "public, max-age=3600"}
    return Response((STATIC / "page.css").read_bytes(), media_type="text/css", headers=headers)
