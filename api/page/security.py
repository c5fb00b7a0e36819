"""Cookies, CSRF tokens and who is asking, for the page's routes.

- The person's identity cookie (``ippo_me``) holds the secret they opened their answers with:
  ``l.<private link>`` or ``c.<short code>`` (ranker.users.page_identities keeps only hashes).
- The counselor's cookie (``ippo_counselor``) holds their counselor key for the browser session.
- Every form carries the per-session CSRF token of the ``ippo_csrf`` cookie, compared in constant
  time. Each cookie is HttpOnly and SameSite=Strict, and Secure when the page is served over https.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request, Response

from ranker.users.page_identities import PageIdentity, PageIdentityStore

IDENTITY_COOKIE = "ippo_me"
COUNSELOR_COOKIE = "ippo_counselor"
CSRF_COOKIE = "ippo_csrf"
CSRF_FIELD = "csrf"
_ONE_YEAR = 365 * 24 * 3600
_open_lock = threading.Lock()

# What every page answers with: nothing loaded from elsewhere, never framed, no referrer (a private
# link must not leave in a Referer header), nothing personal cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass
class FormData:
    """A submitted form (application/x-www-form-urlencoded) and whether its CSRF token matched."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    csrf_ok: bool = False

    def one(self, name: str) -> str:
        values = self.fields.get(name) or [""]
        return values[0].strip()

    def all(self, name: str) -> list[str]:
        return [v for v in self.fields.get(name, []) if v.strip()]


async def read_form(request: Request) -> FormData:
    """The form of a POST, its CSRF token checked against the session's cookie."""
    body = (await request.body()).decode("utf-8", errors="replace")
    fields = parse_qs(body, keep_blank_values=True, max_num_fields=500)
    sent = (fields.get(CSRF_FIELD) or [""])[0]
    expected = request.cookies.get(CSRF_COOKIE, "")
    ok = bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())
    return FormData(fields=fields, csrf_ok=ok)


Form = Annotated[FormData, Depends(read_form)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token (a new one when the browser has none yet; set by ``set_cookies``)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure(request),
                        path="/")


def forget_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=secure(request))


def finish(request: Request, response: Response) -> Response:
    """The security headers, and the CSRF cookie when this request made the token."""
    response.headers.update(SECURITY_HEADERS)
    new = getattr(request.state, "new_csrf", None)
    if new:
        set_cookie(request, response, CSRF_COOKIE, new)
    return response


def identity_store(request: Request) -> PageIdentityStore:
    """The page identity file under the app's home, opened on first use."""
    store: PageIdentityStore | None = getattr(request.app.state, "page_identities", None)
    if store is None:
        with _open_lock:
            store = getattr(request.app.state, "page_identities", None)
            if store is None:
                store = PageIdentityStore.open(request.app.state.settings.home)
                request.app.state.page_identities = store
    return store


def remember_identity(request: Request, response: Response, kind: str, secret: str) -> None:
    set_cookie(request, response, IDENTITY_COOKIE, f"{kind}.{secret}", max_age=_ONE_YEAR)


def current_identity(request: Request) -> PageIdentity | None:
    """The identity this browser opened (by its link or code), or None."""
    value = request.cookies.get(IDENTITY_COOKIE, "")
    kind, _, secret = value.partition(".")
    if not secret:
        return None
    store = identity_store(request)
    if kind == "l":
        return store.by_link(secret)
    if kind == "c":
        return store.by_code(secret)
    return None
