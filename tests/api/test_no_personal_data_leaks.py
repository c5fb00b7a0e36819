"""A sentinel planted in a stored profile and in request bodies (and a query) never reaches a log
record or a response body, on every route of the app, the web page's included (api/page), in
successes and failures (400, 401, 403, 404, 413, 422, 429, 500), except the owner's own read and
export of the profile, the person's own pages, and the view of a counselor the person granted it to. Every request is
logged as one line with its route template, status, latency and key id."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import api.routers.recommendations as recommendations_router
from api.main import create_app
from api.page import counselor, seeker
from api.page import routes as page_routes_module
from api.rate_limits import TokenBuckets
from api.request_log import REQUEST_FIELDS, JsonLinesFormatter
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.users.api_keys import parse_token
from tests.api.served import bearer, issue_key, listing_row

SENTINEL = "SENTINEL-epilepsy-wheelchair-4b7d"
PROFILE = {"summary": f"データ入力の仕事を探しています {SENTINEL}", "desired_titles": ["データ入力"],
           "skills": ["Excel", SENTINEL]}
ROWS = [listing_row("s1", "データ入力"), listing_row("s2", "清掃スタッフ")]


class Calls:
    """The client's answers, and which of them may hold the sentinel (the owner's read and export, a
    granted counselor's read)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.answers: list[tuple[str, httpx.Response]] = []
        self.own_copies: list[httpx.Response] = []

    def __call__(self, method: str, url: str, key: dict[str, str], expect: int, own_copy: bool = False,
                 **options: Any) -> httpx.Response:
        answer = self.client.request(method, url, headers=key | options.pop("headers", {}), **options)
        assert answer.status_code == expect, (method, url, answer.text)
        if own_copy:
            self.own_copies.append(answer)
        else:
            self.answers.append((f"{method} {url}", answer))
        return answer


def _logged_texts(record: logging.LogRecord) -> list[str]:
    """Everything a handler could write of a record: its message, its arguments, its extra
    fields, its traceback and its JSON line."""
    texts = [record.getMessage(), repr(record.args), repr(getattr(record, "request", None)),
             JsonLinesFormatter().format(record)]
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    return texts


def _exercise(calls: Calls, home: Path, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner, other = bearer(issue_key(home, org="center-a")), bearer(issue_key(home))
    counselor_token = issue_key(home, "counselor")
    counselor, admin = bearer(counselor_token), bearer(issue_key(home, "admin"))
    counselor_id = parse_token(counselor_token)

    calls("GET", "/health", {}, 200)
    calls("GET", "/ready", {}, 200)

    # Ad hoc ranking, and each way a request can be refused.
    calls("POST", "/v1/recommendations", owner, 200, json=PROFILE)
    calls("POST", "/v1/recommendations", {}, 401, json=PROFILE)
    calls("POST", "/v1/recommendations", counselor, 403, json=PROFILE)
    calls("POST", "/v1/recommendations", owner, 422, json={**PROFILE, "needs": [SENTINEL]})
    calls("POST", "/v1/recommendations", owner, 422, json={**PROFILE, SENTINEL: SENTINEL, "extra": SENTINEL})
    calls("POST", "/v1/recommendations", owner, 422, json={**PROFILE, "constraints": {"remote": SENTINEL}})
    calls("POST", "/v1/recommendations?k=100000", owner, 422, json=PROFILE)
    calls("POST", "/v1/recommendations", owner, 400, content=f'{{"summary": "{SENTINEL}"'.encode(),
          headers={"Content-Type": "application/json"})
    calls("POST", "/v1/recommendations", owner, 413, json={**PROFILE, "summary": SENTINEL * 5000})

    # Stored profiles: create (and the quota), list, read, update, rank, export.
    profile_id = calls("POST", "/v1/profiles", owner, 201, json=PROFILE).json()["id"]
    calls("POST", "/v1/profiles", owner, 201, json=PROFILE)
    calls("POST", "/v1/profiles", owner, 403, json=PROFILE)  # max_profiles_per_owner=2
    calls("POST", "/v1/profiles", other, 422, json={**PROFILE, "summary": "", "desired_titles": [], "skills": []})
    calls("GET", "/v1/profiles", owner, 200)
    calls("GET", f"/v1/profiles/{profile_id}", owner, 200, own_copy=True)
    calls("GET", f"/v1/profiles/{profile_id}", other, 404)
    calls("PATCH", f"/v1/profiles/{profile_id}", owner, 200, json={"skills": ["Word", SENTINEL]})
    calls("PATCH", f"/v1/profiles/{profile_id}", owner, 422, json={"needs": [SENTINEL], SENTINEL: 1})
    calls("POST", f"/v1/profiles/{profile_id}/recommendations", owner, 200)
    calls("GET", f"/v1/profiles/{profile_id}/recommendations", owner, 200)
    calls("GET", f"/v1/profiles/{profile_id}/recommendations?cursor={SENTINEL}", owner, 400)
    calls("GET", f"/v1/profiles/{profile_id}/export", owner, 200, own_copy=True)
    calls("GET", f"/v1/profiles/{profile_id}/export", other, 404)

    # Grants, feedback, operator routes.
    grant = {"counselor_key_id": counselor_id, "consent": True}
    calls("POST", f"/v1/profiles/{profile_id}/grants", owner, 422, json={**grant, "consent": False})
    calls("POST", f"/v1/profiles/{profile_id}/grants", owner, 422, json={**grant, "note": SENTINEL})
    calls("POST", f"/v1/profiles/{profile_id}/grants", owner, 201, json=grant)
    calls("GET", f"/v1/profiles/{profile_id}", counselor, 200, own_copy=True)  # granted by the person
    calls("DELETE", f"/v1/profiles/{profile_id}/grants/{counselor_id}", owner, 200)
    calls("DELETE", f"/v1/profiles/{profile_id}/grants/{counselor_id}", owner, 404)
    calls("POST", "/v1/feedback", owner, 201, json={"profile_id": profile_id, "listing_id": "s1", "action": "saved"})
    calls("POST", "/v1/feedback", owner, 422, json={"profile_id": profile_id, "listing_id": "s1", "action": SENTINEL})
    calls("PUT", f"/v1/admin/profiles/{profile_id}/owner", admin, 404, json={"org": "center-b"})
    calls("PUT", f"/v1/admin/profiles/{profile_id}/owner", admin, 422, json={"org": f"{SENTINEL} 患者"})
    calls("GET", "/v1/admin/sources", admin, 200)
    calls("POST", "/v1/admin/refresh", admin, 422, json={"sources": ["x"], "note": SENTINEL})
    calls("GET", "/v1/admin/runs/r20261126T000000Z0a0b0c", admin, 404)

    # Listings, with the sentinel as the text searched for.
    calls("GET", f"/v1/listings?q={SENTINEL}", owner, 200)
    calls("GET", "/v1/listings/s1", owner, 200)
    calls("GET", "/v1/listings/s_missing", owner, 404)

    # Support near a place: a place that is no postcode is refused without being repeated, as is
    # a home in a profile (a key of its own, so the owner's stays within its rate).
    near = bearer(issue_key(home, "recommend"))
    calls("GET", "/v1/support?near=164-0014", near, 200)
    calls("GET", f"/v1/support?near={SENTINEL}", near, 422)
    calls("GET", f"/v1/support?near=164-0014&{SENTINEL}=1", near, 422)
    calls("POST", "/v1/recommendations", near, 422, json={**PROFILE, "home": {"postal_code": SENTINEL}})
    calls("POST", "/v1/recommendations", near, 422, json={**PROFILE, "home": {"municipality_code": SENTINEL[:6]}})

    calls("DELETE", f"/v1/profiles/{profile_id}", owner, 200)
    calls("DELETE", f"/v1/profiles/{profile_id}", owner, 404)
    calls("GET", "/no/such/route", owner, 404)

    # An unexpected error quoting the profile, and a key over its rate.
    def failing(index: Any, profile: Any, **_: Any) -> Any:
        raise RuntimeError(f"ranking failed for {profile.summary}")

    monkeypatch.setattr(recommendations_router, "recommend", failing)
    calls("POST", "/v1/recommendations", owner, 500, json=PROFILE)
    app.state.rate_limits = TokenBuckets(per_minute=1, burst=1)
    calls("POST", "/v1/recommendations", other, 500, json=PROFILE)
    calls("POST", "/v1/recommendations", other, 429, json=PROFILE)



def _page_csrf(answer: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', answer.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def _exercise_page(calls: Calls, home: Path) -> None:
    """The web page (api/page): a person's answers, feedback, share and data, a counselor's sign-in
    and notes, and the refusals of each, with the sentinel in every field a person can type in.
    Only the person's own pages and a granted counselor's view of them may show it."""
    def page(method: str, url: str, expect: int, own_copy: bool = False, **options: Any) -> httpx.Response:
        return calls(method, url, {}, expect, own_copy=own_copy, follow_redirects=False, **options)

    counselor_token = issue_key(home, "counselor")
    counselor_id = parse_token(counselor_token)
    token = _page_csrf(page("GET", "/", 200))
    page("GET", "/page.css", 200)
    page("POST", "/start", 303, data={"csrf": token})
    page("GET", "/welcome", 200)
    page("POST", "/start", 400, data={"csrf": SENTINEL})
    page("POST", "/me/step/work", 303, data={"csrf": token, "titles": SENTINEL, "skills": SENTINEL,
                                                  "summary": SENTINEL, "action": "save"})
    page("POST", "/me/step/work", 400, data={"csrf": "wrong", "titles": SENTINEL})
    page("GET", "/me/step/work", 200, own_copy=True)
    page("POST", "/me/step/hours", 422, data={"csrf": token, "hours": SENTINEL, "action": "save"})
    page("POST", "/me/step/pay", 422, data={"csrf": token, "amount": SENTINEL, "action": "save"})
    page("POST", "/me/step/needs", 303, data={"csrf": token, "need": SENTINEL, "avoid": SENTINEL,
                                                   "action": "save"})
    page("POST", "/me/step/health", 422, data={"csrf": token, "need": "accommodations", "action": "save"})
    page("POST", "/me/step/place", 303, data={"csrf": token, "region": SENTINEL, "action": "save"})
    page("POST", "/me/step/place", 422, own_copy=True, data={"csrf": token, "home": SENTINEL, "action": "save"})
    page("POST", "/me/step/interests", 303, data={"csrf": token, "i_R1": SENTINEL, "action": "skip"})
    page("GET", "/me", 200)
    page("GET", "/me/jobs", 200, own_copy=True)
    page("POST", "/me/jobs/s1/save", 303, data={"csrf": token, "back": SENTINEL})
    page("POST", "/me/jobs/s2/dismiss", 303, data={"csrf": token, "reason": SENTINEL})
    page("POST", "/me/jobs/s_missing/applied", 404, data={"csrf": token})
    page("GET", "/me/saved", 200)
    page("GET", "/me/share", 200)
    page("POST", "/me/share", 422, data={"csrf": token, "counselor": SENTINEL, "consent": "yes"})
    page("POST", "/me/share", 303, data={"csrf": token, "counselor": counselor_id, "consent": "yes"})
    page("POST", "/language", 303, data={"csrf": token, "language": "en", "next": SENTINEL})
    page("GET", "/me/data", 200)
    page("GET", "/me/export.json", 200, own_copy=True)
    page("GET", "/me/delete", 200)
    page("GET", f"/r/{SENTINEL}", 404)
    page("POST", "/resume", 400, data={"csrf": token, "code": SENTINEL})

    page("GET", "/counselor", 200)
    page("POST", "/counselor/sign-in", 401, data={"csrf": token, "key": SENTINEL})
    page("POST", "/counselor/sign-in", 303, data={"csrf": token, "key": counselor_token})
    people = page("GET", "/counselor", 200).text
    found = re.search(r'href="/counselor/people/([^"]+)"', people)
    assert found
    page("POST", f"/counselor/people/{found.group(1)}/notes", 303, data={"csrf": token, "note": SENTINEL})
    page("GET", f"/counselor/people/{found.group(1)}", 200, own_copy=True)  # shared by the person
    page("GET", "/counselor/people/p_not_shared_with_you", 404)
    page("POST", "/counselor/sign-out", 200, data={"csrf": token})
    page("POST", f"/me/share/{counselor_id}/stop", 303, data={"csrf": token})
    page("POST", "/me/renew", 303, data={"csrf": token})
    page("GET", "/welcome", 200)
    page("POST", "/me/close", 200, data={"csrf": token})
    page("GET", "/me", 404)


def test_no_route_leaks_the_sentinel_and_each_request_is_one_log_line(
        tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    home = tmp_path / "home"
    write_snapshot(ROWS, None, home / "serving", version="20261126T000000Z")
    app = create_app(Settings(home=home, user_key=None, max_body_bytes=16_384, max_profiles_per_owner=2),
                     embedder=embedder)
    with TestClient(app) as client:
        calls = Calls(client)
        _exercise(calls, home, app, monkeypatch)
        app.state.rate_limits = TokenBuckets(per_minute=600, burst=600)
        _exercise_page(calls, home)
        documented = {(method.upper(), path) for path, operations in client.get("/openapi.json").json()["paths"]
                      .items() for method in operations}

    server_records = [r for r in caplog.records if not r.name.startswith("httpx")]
    leaks = [(r.name, text) for r in server_records for text in _logged_texts(r) if SENTINEL in text]
    assert leaks == []
    assert [url for url, answer in calls.answers if SENTINEL in answer.text] == []
    assert all(SENTINEL in answer.text for answer in calls.own_copies)

    lines = [r for r in server_records if r.name == "ippo.api.requests"]
    assert len(lines) == len(calls.answers) + len(calls.own_copies) + 1  # and the openapi.json request
    fields = [json.loads(JsonLinesFormatter().format(r)) for r in lines]
    assert all(set(REQUEST_FIELDS) <= set(line) for line in fields)
    exercised = {(line["method"], line["route"]) for line in fields}
    assert documented - exercised == set()
    page_routes = {route.path for router in (page_routes_module.router, seeker.router, counselor.router)
                   for route in router.routes if isinstance(route, APIRoute)}
    assert all(line["route"] in {path for _, path in documented} | page_routes | {"(no route matched)", "/openapi.json"}
               for line in fields)
    assert page_routes - {line["route"] for line in fields} == set()
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in fields)
    keyed = [line for line in fields
             if line["route"].startswith("/v1/") and line["status"] in (200, 201, 403, 404, 429)]
    assert all(line["key_id"] and line["key_id"].startswith("k") for line in keyed)
    assert not any("ippo_" in text for r in server_records for text in _logged_texts(r))
    statuses = {line["status"] for line in fields}
    assert {200, 201, 400, 401, 403, 404, 413, 422, 429, 500} <= statuses
