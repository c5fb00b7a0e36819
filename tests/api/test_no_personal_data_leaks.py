"""A sentinel planted in a stored profile and in request bodies (and a query) never reaches a log
record or a response body, on every route of the app, in successes and failures (400, 403, 404,
413, 422, 429, 500), except the owner's own read and export of the profile (and the read of a
counselor the person granted it to). Every request is
logged as one line with its route template, status, latency and key id."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import api.routers.recommendations as recommendations_router
from api.main import create_app
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
    # a home in a profile.
    calls("GET", "/v1/support?near=164-0014", owner, 200)
    calls("GET", f"/v1/support?near={SENTINEL}", owner, 422)
    calls("GET", f"/v1/support?near=164-0014&{SENTINEL}=1", owner, 422)
    calls("POST", "/v1/recommendations", owner, 422, json={**PROFILE, "home": {"postal_code": SENTINEL}})
    calls("POST", "/v1/recommendations", owner, 422, json={**PROFILE, "home": {"municipality_code": SENTINEL[:6]}})

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
    assert all(line["route"] in {path for _, path in documented} | {"(no route matched)", "/openapi.json"}
               for line in fields)
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in fields)
    keyed = [line for line in fields
             if line["route"].startswith("/v1/") and line["status"] in (200, 201, 403, 404, 429)]
    assert all(line["key_id"] and line["key_id"].startswith("k") for line in keyed)
    assert not any("ippo_" in text for r in server_records for text in _logged_texts(r))
    statuses = {line["status"] for line in fields}
    assert {200, 201, 400, 401, 403, 404, 413, 422, 429, 500} <= statuses
