"""The job seeker's pages: start, come back (link or code), the questions, jobs, saved jobs, and
their data (download, new link and code, delete everything)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.page.access import Own, own_profile, user_store
from api.page.catalogue import LANGUAGE_COOKIE
from api.page.home_place import COMMUTE_CHOICES, home_answer
from api.page.questions import (
    CURRENCIES,
    EMPLOYER_NEEDS,
    EVERYDAY_NEEDS,
    HEALTH_NEEDS,
    INTEREST_ITEMS,
    PAY_UNITS,
    REMOTE_CHOICES,
    STEPS,
    answered,
    is_starting_summary,
    starting_summary,
    step_outcome,
)
from api.page.rate_limit import LimitedRoute
from api.page.rendering import problem, redirect, render, words_for
from api.page.results import hours_text, result_view
from api.page.security import (
    IDENTITY_COOKIE,
    Form,
    finish,
    forget_cookie,
    identity_store,
    remember_identity,
    secure,
    set_cookie,
)
from api.page.support_view import support_view
from api.snapshots import NoSnapshotError
from pipeline.canonical import EMPLOYMENT_TYPES
from ranker.present import location_text, page_to_dict, salary_text
from ranker.profile import AVOIDABLE, AptitudeProfile
from ranker.serving_index import ServingIndex
from ranker.users.api_keys import KEY_ID_PATTERN, utc_now
from ranker.users.page_identities import Secrets, normalise_code
from ranker.users.store import GrantNotFoundError, ProfileNotFoundError
from ranker.users.stored import ListingNotFoundError, recommend_stored, record_feedback, store_profile, update_profile

router = APIRouter(include_in_schema=False, route_class=LimitedRoute)
PAGE_SIZE = 10
Step = Annotated[str, Path(pattern="^(" + "|".join(STEPS) + ")$")]
ListingId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
DISMISS_REASONS = ("too_far", "hours", "pay", "kind", "other")
_BACK_PAGES = ("/me/jobs", "/me/saved")
NEW_CODE_COOKIE = "ippo_new_code"
NEW_CODE_SECONDS = 900


def _index(request: Request) -> ServingIndex | None:
    try:
        return request.app.state.snapshots.get()
    except NoSnapshotError:
        return None


def _closed(request: Request) -> Response:
    """The answer when nothing is open on this browser: the start page, calmly."""
    return render(request, "home.html", status=404, notice=words_for(request)("me.no_identity"), code_error=None)


def _posting(request: Request, form: Form) -> Own | Response:
    """The browser's own profile for a form it sent, or the answer when there is none (the start
    page) or the form lacks its CSRF token (400, nothing changed)."""
    own = own_profile(request)
    if own is None:
        return _closed(request)
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    return own


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html", notice=None, code_error=None)


@router.post("/start")
def start(request: Request, form: Form) -> Response:
    """A new identity and its profile (looking, until the person says more, for work open to beginners)."""
    store = user_store(request)
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    if store is None:
        return problem(request, "error.unavailable", 503)
    words = words_for(request)
    identities = identity_store(request)
    identity, given = identities.create()
    profile = AptitudeProfile(language=words.language, summary=starting_summary(words))
    profile_id = store_profile(store, profile, request.app.state.embedder, owner=identity.owner)
    identities.set_profile(identity.id, profile_id)
    return _to_welcome(request, given)


def _to_welcome(request: Request, given: Secrets) -> Response:
    """After making (or renewing) the secrets: to GET /welcome (303), so a reload shows them again
    instead of making new ones. The browser keeps the link in its identity cookie and the code in
    a cookie of its own for a quarter of an hour, sent only to /welcome (HttpOnly, SameSite=Strict)."""
    response = redirect(request, "/welcome")
    remember_identity(request, response, "l", given.link)
    response.set_cookie(NEW_CODE_COOKIE, given.code, max_age=NEW_CODE_SECONDS, httponly=True, samesite="strict",
                        secure=secure(request), path="/welcome")
    return response


@router.get("/welcome")
def welcome(request: Request) -> Response:
    """The private link and the short code just made, shown while this browser holds both."""
    kind, _, link = request.cookies.get(IDENTITY_COOKIE, "").partition(".")
    code = request.cookies.get(NEW_CODE_COOKIE, "")
    identities = identity_store(request)
    identity = identities.by_link(link) if kind == "l" and link else None
    if identity is None:
        return _closed(request)
    shown = identities.by_code(code) if code else None
    if shown is None or shown.id != identity.id:
        return redirect(request, "/me")
    return render(request, "welcome.html", link=str(request.url_for("open_link", secret=link)),
                  code=Secrets(link=link, code=normalise_code(code) or code).code_grouped, next_step=STEPS[0])


@router.get("/r/{secret}", name="open_link")
def open_link(request: Request, secret: Annotated[str, Path(min_length=16, max_length=100)]) -> Response:
    """The private link: this browser keeps it (a cookie) and the person continues with a click
    (a SameSite=Strict cookie is not sent on the navigation that came from elsewhere)."""
    identity = identity_store(request).by_link(secret)
    if identity is None:
        return render(request, "home.html", status=404, notice=words_for(request)("home.link_unknown"),
                      code_error=None)
    response = render(request, "opened.html")
    remember_identity(request, response, "l", secret)
    return response


@router.post("/resume")
def resume(request: Request, form: Form) -> Response:
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    code = form.one("code")
    identity = identity_store(request).by_code(code)
    if identity is None:
        return render(request, "home.html", status=400, notice=None, code_error=words_for(request)("home.code_unknown"))
    response = redirect(request, "/me")
    remember_identity(request, response, "c", code)
    return response


@router.post("/language")
def choose_language(request: Request, form: Form) -> Response:
    """The language the person chose; their profile's reasons follow it."""
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    chosen = "en" if form.one("language") == "en" else "ja"
    back = form.one("next")
    response = redirect(request, back if back.startswith("/") and not back.startswith("//") else "/")
    set_cookie(request, response, LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600)
    own = own_profile(request)
    if own is not None:
        _update(request, own, {"language": chosen})
    return response


@router.get("/me")
def overview(request: Request) -> Response:
    own = own_profile(request)
    if own is None:
        return _closed(request)
    profile = own.store.get(own.profile_id).profile
    return render(request, "me.html", steps=[(s, answered(s, profile)) for s in STEPS])


@router.post("/me/close")
def close(request: Request, form: Form) -> Response:
    if not form.csrf_ok:
        return problem(request, "error.form", 400)
    response = render(request, "home.html", notice=words_for(request)("me.signed_out"), code_error=None)
    forget_cookie(request, response, IDENTITY_COOKIE)
    return response


def _step_context(step: str, profile: AptitudeProfile) -> dict[str, Any]:
    c = profile.constraints
    pay = c.min_salary
    return {
        "step": step, "number": STEPS.index(step) + 1, "total": len(STEPS),
        "next": STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else None,
        "previous": STEPS[STEPS.index(step) - 1] if step != STEPS[0] else None,
        "profile": profile, "everyday_needs": EVERYDAY_NEEDS, "employer_needs": EMPLOYER_NEEDS,
        "health_needs": HEALTH_NEEDS, "avoidable": AVOIDABLE, "interest_items": INTEREST_ITEMS,
        "remote_choices": REMOTE_CHOICES, "pay_units": PAY_UNITS, "currencies": CURRENCIES,
        "employment_types": EMPLOYMENT_TYPES,
        "summary": "" if is_starting_summary(profile.summary) else profile.summary,
        "hours": "" if c.max_hours_per_week is None else f"{c.max_hours_per_week:g}",
        "place": c.locations[0] if c.locations else None,
        "home": home_answer(profile.home), "commute_choices": COMMUTE_CHOICES,
        "max_commute": None if c.max_commute_km is None else int(c.max_commute_km),
        "pay": {"amount": f"{pay.amount:g}" if pay else "", "unit": pay.unit if pay else "HOUR",
                "currency": pay.currency if pay else "JPY"},
        "chosen": set(profile.needs) | set(profile.avoid),
    }


@router.get("/me/step/{step}")
def show_step(request: Request, step: Step, saved: Annotated[bool, Query()] = False) -> Response:
    own = own_profile(request)
    if own is None:
        return _closed(request)
    profile = own.store.get(own.profile_id).profile
    return render(request, "step.html", problem_text=None, saved=saved, **_step_context(step, profile))


def _update(request: Request, own: Own, patch: dict[str, Any]) -> None:
    request.app.state.score_cache.forget(own.profile_id)
    update_profile(own.store, own.profile_id, patch, request.app.state.embedder)


@router.post("/me/step/{step}")
def save_step(request: Request, step: Step, form: Form) -> Response:
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    following = STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else None
    after = f"/me/step/{following}?saved=true" if following else "/me"
    if form.one("action") == "skip":
        return redirect(request, after.removesuffix("?saved=true"))
    profile = own.store.get(own.profile_id).profile
    outcome = step_outcome(step, form.fields, profile, words_for(request))
    if outcome.problem is not None:
        context = _step_context(step, profile)
        if step == "health":
            context["chosen"] = set(form.all("need"))
        if step == "place":
            context["home"] = form.one("home")[:100]
        return render(request, "step.html", status=422, problem_text=outcome.problem, saved=False, **context)
    if outcome.patch:
        try:
            _update(request, own, outcome.patch)
        except ValidationError:
            context = _step_context(step, profile)
            return render(request, "step.html", status=422, problem_text=words_for(request)("error.form"),
                          saved=False, **context)
    return redirect(request, after)


@router.get("/me/jobs")
def jobs(request: Request, start: Annotated[int, Query(ge=0, le=1000)] = 0) -> Response:
    own = own_profile(request)
    if own is None:
        return _closed(request)
    index = _index(request)
    if index is None:
        return problem(request, "jobs.no_snapshot", 503)
    settings = request.app.state.settings
    page = recommend_stored(index, own.store, own.profile_id, request.app.state.embedder, k=settings.max_k,
                            cache=request.app.state.score_cache)
    shown = page_to_dict(replace(page, results=page.results[start:start + PAGE_SIZE]), first_rank=start + 1)
    words = words_for(request)
    saved_ids = {item.listing_id for item in own.store.feedback_signals(own.profile_id).liked}
    home = own.store.get(own.profile_id).profile.home
    return render(request, "jobs.html", results=[result_view(r, words) for r in shown["results"]],
                  support=support_view(index, home, shown.get("support"), words) if start == 0 else None,
                  notice=shown["notice"], notes=shown["notes"], start=start, page_size=PAGE_SIZE,
                  more=start + PAGE_SIZE < len(page.results), saved_ids=saved_ids, reasons=DISMISS_REASONS)


def _feedback(request: Request, form: Any, listing_id: str, action: str) -> Response:
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    index = _index(request)
    if index is None:
        return problem(request, "jobs.no_snapshot", 503)
    reason = form.one("reason") if action == "dismissed" and form.one("reason") in DISMISS_REASONS else None
    try:
        record_feedback(index, own.store, own.profile_id, listing_id, action, reason=reason)
    except (ListingNotFoundError, ProfileNotFoundError):
        return problem(request, "error.not_found", 404)
    back = form.one("back")
    path = back.split("?")[0]
    return redirect(request, back if path in _BACK_PAGES else "/me/jobs")


@router.post("/me/jobs/{listing_id}/save")
def save_listing(request: Request, listing_id: ListingId, form: Form) -> Response:
    return _feedback(request, form, listing_id, "saved")


@router.post("/me/jobs/{listing_id}/dismiss")
def dismiss_listing(request: Request, listing_id: ListingId, form: Form) -> Response:
    return _feedback(request, form, listing_id, "dismissed")


@router.post("/me/jobs/{listing_id}/applied")
def applied_listing(request: Request, listing_id: ListingId, form: Form) -> Response:
    return _feedback(request, form, listing_id, "applied")


@router.get("/me/saved")
def saved(request: Request) -> Response:
    own = own_profile(request)
    if own is None:
        return _closed(request)
    words = words_for(request)
    index = _index(request)
    items = []
    for liked in own.store.feedback_signals(own.profile_id).liked:
        position = index.position(liked.listing_id) if index is not None else None
        row = index.row(position) if index is not None and position is not None else None
        items.append({
            "id": liked.listing_id, "title": (row or {}).get("title") or liked.title, "open": row is not None,
            "applied": liked.action == "applied",
            "employer": ((row or {}).get("employer") or {}).get("name") or words("jobs.employer_unstated"),
            "place": location_text(row, words.language) if row else "",
            "pay": salary_text(row.get("salary"), words.language) if row else "",
            "hours": hours_text(row.get("hours_per_week"), words) if row else "",
            "url": (row.get("apply_url") or row.get("url")) if row else None,
        })
    return render(request, "saved.html", items=items)


@router.get("/me/data")
def data(request: Request) -> Response:
    if own_profile(request) is None:
        return _closed(request)
    return render(request, "data.html")


@router.get("/me/export.json")
def export(request: Request) -> Response:
    """Everything stored about the person (the API's export), as a file to keep."""
    own = own_profile(request)
    if own is None:
        return _closed(request)
    body = json.dumps(own.store.export(own.profile_id), ensure_ascii=False, indent=2)
    response = Response(body, media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="ippo-my-data.json"'})
    return finish(request, response)


@router.post("/me/renew")
def renew(request: Request, form: Form) -> Response:
    """New link and code; the old ones stop working."""
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    return _to_welcome(request, identity_store(request).renew(own.identity.id))


@router.get("/me/delete")
def confirm_delete(request: Request) -> Response:
    if own_profile(request) is None:
        return _closed(request)
    return render(request, "delete.html")


@router.post("/me/delete")
def delete_everything(request: Request, form: Form) -> Response:
    """Erase the profile (its feedback, grants and data key: ranker.users.store) and the identity."""
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    request.app.state.score_cache.forget(own.profile_id)
    own.store.delete(own.profile_id)
    identity_store(request).delete(own.identity.id)
    response = render(request, "home.html", notice=words_for(request)("data.deleted"), code_error=None)
    forget_cookie(request, response, IDENTITY_COOKIE)
    return response



def _active_grants(own: Own) -> list[dict[str, Any]]:
    return [g for g in own.store.grants(own.profile_id) if g["withdrawn_at"] is None]


def _share_page(request: Request, own: Own, status: int = 200, problem_text: str | None = None) -> Response:
    return render(request, "share.html", status=status, grants=_active_grants(own), problem_text=problem_text)


@router.get("/me/share")
def share(request: Request) -> Response:
    own = own_profile(request)
    if own is None:
        return _closed(request)
    return _share_page(request, own)


@router.post("/me/share")
def grant(request: Request, form: Form) -> Response:
    """Let a counselor's key see the profile, with the person's consent (as POST /v1/profiles/{id}/grants)."""
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    words = words_for(request)
    if form.one("consent") != "yes":
        return _share_page(request, own, 422, words("share.need_consent"))
    keys = getattr(request.app.state, "api_keys", None)
    key_id = form.one("counselor").lower()
    found = keys.store.find(key_id) if keys is not None and KEY_ID_PATTERN.match(key_id) else None
    if found is None or "counselor" not in found[0].scopes or not found[0].active(utc_now()):
        return _share_page(request, own, 422, words("share.bad_id"))
    own.store.add_grant(own.profile_id, key_id, granted_by=own.identity.owner)
    return redirect(request, "/me/share")


@router.post("/me/share/{counselor_key_id}/stop")
def stop_sharing(request: Request, counselor_key_id: Annotated[str, Path(pattern=r"^k[0-9a-f]{10}$")],
                 form: Form) -> Response:
    own = _posting(request, form)
    if not isinstance(own, Own):
        return own
    try:
        own.store.withdraw_grant(own.profile_id, counselor_key_id)
    except GrantNotFoundError:
        return problem(request, "error.not_found", 404)
    return redirect(request, "/me/share")
