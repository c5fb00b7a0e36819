"""Opaque page cursors: which snapshot a page was made on, which request it continues and where
the page ended.

A cursor is base64url JSON ``{"k": kind, "v": snapshot version, "q": digest of the request,
"at": where the page ended}``. It is not a secret and not signed: a client that edits one only
pages its own results differently. It is refused with 400 when it is not one of ours or was
made for another request (another query, other filters, another profile), and with 410 once
another snapshot is served (the order of results belongs to one snapshot): the client starts
again without a cursor.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from fastapi import HTTPException


def request_digest(*parts: object) -> str:
    """A short digest of what a request asked (query and filters, or a profile id)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(kind: str, version: str, digest: str, at: dict[str, Any]) -> str:
    data = json.dumps({"k": kind, "v": version, "q": digest, "at": at}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _bad(problem: str) -> HTTPException:
    return HTTPException(status_code=400, detail=[{"field": "cursor", "problem": problem}])


def decode_cursor(token: str, kind: str, version: str, digest: str) -> dict[str, Any]:
    """Where the previous page ended, or 400/410 saying to start again without a cursor."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        raise _bad("not a cursor this API gave out; start again without cursor") from None
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("at"), dict):
        raise _bad("not a cursor of this route; start again without cursor")
    if data.get("v") != version:
        made_on = str(data.get("v"))[:40]
        raise HTTPException(status_code=410, detail=f"the cursor belongs to snapshot {made_on}, and snapshot "
                                                    f"{version} is served now; start again without cursor")
    if data.get("q") != digest:
        raise _bad("the cursor was made for another query, other filters or another profile; send the same "
                   "parameters as the first page, or start again without cursor")
    return data["at"]
