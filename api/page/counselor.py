"""The counselor's pages: sign in once with a counselor key (kept in a session cookie, never in a
URL), see the people who shared their profile with that key, their answers, saved jobs and the
jobs shown to them, and keep notes only that key reads (encrypted with the person's data key).

Which profiles are reached is decided as for the API (api.access): a grant in force for this very
key; anything else is a page that does not exist (404).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from api.access import Action, authorize
from api.page.access import user_store
from api.page.rate_limit import LimitedRoute
from api.page.rendering import problem, redirect, render, words_for
from api.page.results import result_view
from api.page.security import COUNSELOR_COOKIE, Form, forget_cookie, set_cookie
from api.snapshots import NoSnapshotError
from ranker.present import page_to_dict
from ranker.users.api_keys import ApiKey, ApiKeyStoreError, InvalidApiKeyError
from ranker.users.store import ProfileNotFoundError, UserStore
from ranker.users.stored import recommend_stored

router = APIRouter(include_in_schema=False, route_class=LimitedRoute)
ProfileId = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
MAX_NOTE = 5000


def _key_from(request: Request, token: str) -> ApiKey | None:
    """The active counselor key ``token`` is, or None."""
    keys = getattr(request.app.state, "api_keys", None)
    if keys is None or not token:
        return None
    try:
        key = keys.authenticate(token)
    except (InvalidApiKeyError, ApiKeyStoreError):
        return None
    return key if "counselor" in key.scopes else None


def signed_in(request: Request) -> ApiKey | None:
    key = _key_from(request, request.cookies.get(COUNSELOR_COOKIE, ""))
    if key is not None:
        request.state.key_id = key.id  # named in the request's log line
    return key


def _reach(request: Request, key: ApiKey, profile_id: str) -> UserStore | None:
    """The user store when this key may see the profile (a grant in force), else None."""
    store = user_store(request)
    if store is None:
        return None
    try:
        authorize(key, store, profile_id, Action.RECOMMEND)
    except HTTPException:
        return None
    return store


@router.get("/counselor")
def counselor_home(request: Request) -> Response:
    key = signed_in(request)
    if key is None:
        return render(request, "counselor_sign_in.html", problem_text=None)
    store = user_store(request)
    if store is None:
        return problem(request, "error.unavailable", 503)
    return render(request, "counselor_people.html", key_id=key.id, people=store.granted_to(key.id),
                  grants={p["id"]: next((g["granted_at"] for g in store.grants(p["id"])
                                         if g["counselor_key_id"] == key.id and g["withdrawn_at"] is None), "")
                          for p in store.granted_to(key.id)})


@router.post("/counselor/sign-in")
def sign_in(request: Request, form: Form) -> Response:
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    token = form.one("key")
    if _key_from(request, token) is None:
        return render(request, "counselor_sign_in.html", status=401,
                      problem_text=words_for(request)("counselor.bad_key"))
    response = redirect(request, "/counselor")
    set_cookie(request, response, COUNSELOR_COOKIE, token)  # no max-age: ends with the browser session
    return response


@router.post("/counselor/sign-out")
def sign_out(request: Request, form: Form) -> Response:
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    response = render(request, "counselor_sign_in.html", problem_text=None,
                      notice=words_for(request)("counselor.signed_out"))
    forget_cookie(request, response, COUNSELOR_COOKIE)
    return response


@router.get("/counselor/people/{profile_id}")
def person(request: Request, profile_id: ProfileId) -> Response:
    key = signed_in(request)
    if key is None:
        return render(request, "counselor_sign_in.html", status=401, problem_text=None)
    store = _reach(request, key, profile_id)
    if store is None:
        return problem(request, "error.not_found", 404)
    words = words_for(request)
    try:
        profile = store.get(profile_id).profile
        liked = store.feedback_signals(profile_id).liked
        notes = store.notes(profile_id, key.id)
    except ProfileNotFoundError:
        return problem(request, "error.not_found", 404)
    results = []
    try:
        index = request.app.state.snapshots.get()
    except NoSnapshotError:
        index = None
    if index is not None:
        page = recommend_stored(index, store, profile_id, request.app.state.embedder,
                                k=request.app.state.settings.max_k, cache=request.app.state.score_cache)
        shown = page_to_dict(replace(page, results=page.results[:10]))
        results = [result_view(r, words) for r in shown["results"]]
    return render(request, "counselor_person.html", profile_id=profile_id, profile=profile, saved=liked,
                  notes=notes, results=results)


@router.post("/counselor/people/{profile_id}/notes")
def add_note(request: Request, profile_id: ProfileId, form: Form) -> Response:
    key = signed_in(request)
    if key is None:
        return render(request, "counselor_sign_in.html", status=401, problem_text=None)
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    store = _reach(request, key, profile_id)
    if store is None:
        return problem(request, "error.not_found", 404)
    text = form.one("note")[:MAX_NOTE]
    if text:
        store.add_note(profile_id, key.id, text)
    return redirect(request, f"/counselor/people/{profile_id}#notes")
