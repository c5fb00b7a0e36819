"""Authentication and authorisation of the API: 401 without a valid key, 403 without the route's
scope, 404 for another owner's profile on every profile route, counselor grants, profiles without
an owner, revocation and expiry while the app runs, and key secrets kept out of logs and files."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.profile import parse_profile
from ranker.users.api_keys import ApiKeyStore, keys_path, utc_now
from ranker.users.store import UserStore
from tests.api.served import bearer, issue_key, listing_row

PROFILE = {"summary": "人と話すのが苦手で、通院しながら働きたい", "desired_titles": ["データ入力"]}
ROWS = [listing_row("a1", "データ入力"), listing_row("a2", "清掃スタッフ")]
PUBLIC = {("GET", "/health"), ("GET", "/ready")}


@dataclass
class Served:
    client: TestClient
    home: Path

    def key(self, scopes: str, org: str | None = None, **options: Any) -> dict[str, str]:
        return bearer(issue_key(self.home, scopes, org, **options))

    def new_profile(self, headers: dict[str, str]) -> str:
        created = self.client.post("/v1/profiles", json=PROFILE, headers=headers)
        assert created.status_code == 201, created.text
        return created.json()["id"]


@contextmanager
def _serve(home: Path, embedder: Any) -> Iterator[Served]:
    write_snapshot(ROWS, None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as client:
        yield Served(client, home)


@pytest.fixture
def served(tmp_path: Path, embedder: Any) -> Iterator[Served]:
    with _serve(tmp_path / "home", embedder) as running:
        yield running


# Every route that needs a key: (method, path, body), with {id} a profile and {kid} a counselor key id.
ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/v1/recommendations", PROFILE),
    ("POST", "/v1/profiles", PROFILE),
    ("GET", "/v1/profiles", None),
    ("GET", "/v1/profiles/{id}", None),
    ("POST", "/v1/profiles/{id}/recommendations", None),
    ("GET", "/v1/profiles/{id}/export", None),
    ("DELETE", "/v1/profiles/{id}", None),
    ("POST", "/v1/profiles/{id}/grants", {"counselor_key_id": "{kid}", "consent": True}),
    ("DELETE", "/v1/profiles/{id}/grants/{kid}", None),
    ("POST", "/v1/feedback", {"profile_id": "{id}", "listing_id": "a1", "action": "saved"}),
    ("PUT", "/v1/admin/profiles/{id}/owner", {"org": "elsewhere"}),
    ("GET", "/v1/listings", None),
    ("GET", "/v1/listings/{listing_id}", None),
    ("GET", "/v1/support?near=164-0014", None),
    ("PATCH", "/v1/profiles/{id}", {"skills": ["Excel"]}),
    ("GET", "/v1/profiles/{id}/recommendations", None),
    ("GET", "/v1/admin/sources", None),
    ("POST", "/v1/admin/refresh", None),
    ("GET", "/v1/admin/runs/{run_id}", None),
]
# Scopes that must be refused with 403, per route.
LACKING = {
    "/v1/recommendations": ["profiles", "counselor", "admin"],
    "/v1/profiles": ["recommend"],
    "/v1/profiles/{id}": ["recommend"],
    "/v1/profiles/{id}/recommendations": ["recommend", "admin"],
    "/v1/profiles/{id}/export": ["recommend"],
    "/v1/profiles/{id}/grants": ["recommend", "counselor", "admin"],
    "/v1/profiles/{id}/grants/{kid}": ["recommend", "counselor", "admin"],
    "/v1/feedback": ["recommend", "counselor", "admin"],
    "/v1/admin/profiles/{id}/owner": ["recommend", "profiles", "counselor"],
    "/v1/listings": ["profiles", "counselor", "admin"],
    "/v1/listings/{listing_id}": ["profiles", "counselor", "admin"],
    "/v1/support?near=164-0014": ["profiles", "counselor", "admin"],
    "/v1/admin/sources": ["recommend", "profiles", "counselor"],
    "/v1/admin/refresh": ["recommend", "profiles", "counselor"],
    "/v1/admin/runs/{run_id}": ["recommend", "profiles", "counselor"],
}
PROFILE_ROUTES = [route for route in ROUTES if "{id}" in route[1] + str(route[2])]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return (value.replace("{id}", ids["id"]).replace("{kid}", ids["kid"]).replace("{listing_id}", "a1")
                .replace("{run_id}", "r20990101T000000Z000000"))
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _call(served: Served, route: tuple[str, str, dict[str, Any] | None], ids: dict[str, str],
          headers: dict[str, str] | None = None) -> httpx.Response:
    method, path, body = route
    return served.client.request(method, _fill(path, ids), json=_fill(body, ids), headers=headers or {})


def _lacking(path: str, method: str) -> list[str]:
    if path == "/v1/profiles/{id}" and method == "DELETE":
        return ["recommend", "counselor"]
    if path == "/v1/profiles/{id}" and method == "PATCH":
        return ["recommend", "counselor", "admin"]
    if path == "/v1/profiles" and method == "GET":
        return ["recommend"]
    return LACKING[path]


def test_the_matrix_covers_every_route_of_the_app(served: Served) -> None:
    paths = served.client.get("/openapi.json").json()["paths"]
    app_routes = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    listed = {(method, path.split("?")[0].replace("{id}", "{profile_id}").replace("{kid}", "{counselor_key_id}"))
              for method, path, _ in ROUTES}
    assert app_routes - PUBLIC == listed


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_401_without_a_valid_key_and_403_without_the_scope(served: Served,
                                                             route: tuple[str, str, dict[str, Any] | None]) -> None:
    owner = served.key("profiles,recommend", org="clinic")
    ids = {"id": served.new_profile(owner), "kid": "k0123456789"}
    expired = served.key("recommend,profiles,counselor,admin", org="clinic", expires_days=1,
                         now=utc_now() - timedelta(days=2))
    for headers in ({}, bearer("ippo_k0123456789_" + "x" * 43), {"Authorization": "Basic dXNlcjpwdw=="},
                    bearer("not-a-key"), expired):
        refused = _call(served, route, ids, headers)
        assert refused.status_code == 401, (headers, refused.text)
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    for scope in _lacking(route[1], route[0]):
        forbidden = _call(served, route, ids, served.key(scope, org="clinic"))
        assert forbidden.status_code == 403, (scope, forbidden.text)
        assert scope not in forbidden.json()["detail"].split(": ")[-1].split(" or ")
    assert served.client.get(f"/v1/profiles/{ids['id']}", headers=owner).status_code == 200


def test_health_ready_and_docs_need_no_key(served: Served) -> None:
    for path in ("/health", "/ready", "/docs", "/openapi.json"):
        assert served.client.get(path).status_code == 200, path
    schemes = served.client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {"type": "http", "scheme": "bearer", "description": schemes["ApiKey"]["description"]}


@pytest.mark.parametrize("route", PROFILE_ROUTES, ids=[f"{m} {p}" for m, p, _ in PROFILE_ROUTES])
def test_another_clients_profile_answers_404_like_a_missing_one(served: Served,
                                                                route: tuple[str, str, dict[str, Any] | None]) -> None:
    alice = served.key("recommend,profiles", org="clinic-a")
    bob = served.key("recommend,profiles,admin", org="clinic-b")
    counselor = ApiKeyStore.open(served.home).create("counselor", org="clinic-a")[0].id
    profile_id = served.new_profile(alice)
    assert served.client.post(f"/v1/profiles/{profile_id}/grants", headers=alice,
                              json={"counselor_key_id": counselor, "consent": True}).status_code == 201
    theirs = _call(served, route, {"id": profile_id, "kid": counselor}, bob)
    missing = _call(served, route, {"id": "p_doesnotexist0000", "kid": counselor}, bob)
    assert theirs.status_code == missing.status_code == 404, theirs.text
    assert theirs.json()["detail"].replace(profile_id, "ID") == missing.json()["detail"].replace(
        "p_doesnotexist0000", "ID")
    # Nothing was changed for the owner: the profile, its grant and its (empty) feedback are all there.
    export = served.client.get(f"/v1/profiles/{profile_id}/export", headers=alice)
    assert export.status_code == 200
    assert export.json()["owner"] == "org:clinic-a" and export.json()["feedback"] == []
    assert [g["withdrawn_at"] for g in export.json()["grants"]] == [None]
    # And the owner's own call of the same route succeeds.
    own = _call(served, route, {"id": profile_id, "kid": counselor},
                alice if "admin" not in route[1] else served.key("admin"))
    assert own.status_code in (200, 201) or ("admin" in route[1] and own.status_code == 404), own.text


def test_keys_of_one_organisation_share_its_profiles_and_a_key_without_one_keeps_its_own(served: Served) -> None:
    first, second = served.key("profiles", org="clinic"), served.key("profiles", org="clinic")
    lone, other_lone = served.key("profiles"), served.key("profiles")
    shared = served.new_profile(first)
    private = served.new_profile(lone)
    assert served.client.get(f"/v1/profiles/{shared}", headers=second).status_code == 200
    assert served.client.get(f"/v1/profiles/{private}", headers=other_lone).status_code == 404
    assert [p["id"] for p in served.client.get("/v1/profiles", headers=second).json()] == [shared]
    assert [p["id"] for p in served.client.get("/v1/profiles", headers=lone).json()] == [private]


def test_a_counselor_sees_only_what_was_granted_and_never_deletes(served: Served) -> None:
    person = served.key("profiles", org="clinic")
    keys = ApiKeyStore.open(served.home)
    counselor_key, counselor_secret = keys.create("counselor", name="支援員", org="support-office")
    counselor = bearer(counselor_secret)
    other_counselor = served.key("counselor", org="support-office")
    granted, kept = served.new_profile(person), served.new_profile(person)
    assert served.client.get(f"/v1/profiles/{granted}", headers=counselor).status_code == 404

    refused = served.client.post(f"/v1/profiles/{granted}/grants", headers=person,
                                 json={"counselor_key_id": counselor_key.id, "consent": False})
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "consent"
    not_counselor = ApiKeyStore.open(served.home).create("recommend")[0].id
    wrong = served.client.post(f"/v1/profiles/{granted}/grants", headers=person,
                               json={"counselor_key_id": not_counselor, "consent": True})
    assert wrong.status_code == 422 and wrong.json()["problems"][0]["field"] == "counselor_key_id"
    grant = served.client.post(f"/v1/profiles/{granted}/grants", headers=person,
                               json={"counselor_key_id": counselor_key.id, "consent": True})
    assert grant.status_code == 201 and grant.json()["granted_by"] == "org:clinic"

    assert served.client.get(f"/v1/profiles/{granted}", headers=counselor).json()["profile"]["summary"] == \
        PROFILE["summary"]
    assert served.client.post(f"/v1/profiles/{granted}/recommendations", headers=counselor).status_code == 200
    assert served.client.get(f"/v1/profiles/{granted}/export", headers=counselor).status_code == 200
    assert [(p["id"], p["access"]) for p in served.client.get("/v1/profiles", headers=counselor).json()] == \
        [(granted, "granted")]
    assert served.client.delete(f"/v1/profiles/{granted}", headers=counselor).status_code == 403
    assert served.client.post("/v1/feedback", headers=counselor,
                              json={"profile_id": granted, "listing_id": "a1", "action": "saved"}).status_code == 403
    for path in (f"/v1/profiles/{kept}", f"/v1/profiles/{kept}/export"):
        assert served.client.get(path, headers=counselor).status_code == 404
    assert served.client.get(f"/v1/profiles/{granted}", headers=other_counselor).status_code == 404

    withdrawn = served.client.delete(f"/v1/profiles/{granted}/grants/{counselor_key.id}", headers=person)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"] is not None
    assert served.client.get(f"/v1/profiles/{granted}", headers=counselor).status_code == 404
    again = served.client.delete(f"/v1/profiles/{granted}/grants/{counselor_key.id}", headers=person)
    assert again.status_code == 404
    grants = served.client.get(f"/v1/profiles/{granted}/export", headers=person).json()["grants"]
    assert [(g["counselor_key_id"], g["withdrawn_at"] is not None) for g in grants] == [(counselor_key.id, True)]


def test_profiles_without_an_owner_are_for_admin_keys_until_given_one(tmp_path: Path, embedder: Any) -> None:
    with UserStore.open(tmp_path / "home") as store:  # stored before the API had keys
        legacy = store.add_profile(parse_profile(PROFILE))
    with _serve(tmp_path / "home", embedder) as served:
        admin, clinic = served.key("admin"), served.key("profiles,recommend", org="clinic")
        assert served.client.get(f"/v1/profiles/{legacy}", headers=clinic).status_code == 404
        assert [(p["id"], p["access"]) for p in served.client.get("/v1/profiles", headers=admin).json()] == \
            [(legacy, "unowned")]
        assert served.client.get(f"/v1/profiles/{legacy}/export", headers=admin).json()["owner"] is None
        assert served.client.post(f"/v1/profiles/{legacy}/recommendations", headers=admin).status_code == 403
        both = served.client.put(f"/v1/admin/profiles/{legacy}/owner", headers=admin,
                                 json={"org": "clinic", "key_id": "k0123456789"})
        assert both.status_code == 422
        moved = served.client.put(f"/v1/admin/profiles/{legacy}/owner", headers=admin, json={"org": "clinic"})
        assert moved.json() == {"id": legacy, "owner": "org:clinic"}
        assert served.client.get(f"/v1/profiles/{legacy}", headers=admin).status_code == 404
        assert served.client.put(f"/v1/admin/profiles/{legacy}/owner", headers=admin,
                                 json={"org": "thief"}).status_code == 404
        assert served.client.get(f"/v1/profiles/{legacy}", headers=clinic).status_code == 200
        assert served.client.delete(f"/v1/profiles/{legacy}", headers=clinic).status_code == 200


def test_a_profile_of_a_revoked_key_without_organisation_can_be_handed_on(served: Served) -> None:
    keys = ApiKeyStore.open(served.home)
    lone, lone_secret = keys.create("profiles")
    profile_id = served.new_profile(bearer(lone_secret))
    admin = served.key("admin")
    assert served.client.put(f"/v1/admin/profiles/{profile_id}/owner", headers=admin,
                             json={"org": "clinic"}).status_code == 404
    keys.revoke(lone.id)
    moved = served.client.put(f"/v1/admin/profiles/{profile_id}/owner", headers=admin, json={"org": "clinic"})
    assert moved.status_code == 200 and moved.json()["owner"] == "org:clinic"


def _refused_within(served: Served, headers: dict[str, str], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if served.client.post("/v1/recommendations", json=PROFILE, headers=headers).status_code == 401:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"the key still worked {seconds} s after it was revoked")


def test_a_revoked_key_stops_working_without_a_restart(served: Served) -> None:
    keys = ApiKeyStore.open(served.home)
    key, secret = keys.create("recommend")
    assert served.client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret)).status_code == 200
    keys.revoke(key.id)
    waited = _refused_within(served, bearer(secret), 5.0)
    assert waited <= served.client.app.state.api_keys.ttl + 1.0
    refused = served.client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret))
    assert refused.json()["detail"] == f"API key {key.id} has been revoked"


def test_an_expired_key_fails_and_says_so(served: Served) -> None:
    keys = ApiKeyStore.open(served.home)
    key, secret = keys.create("recommend", expires_days=1, now=utc_now() - timedelta(days=1, seconds=1))
    refused = served.client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret))
    assert refused.status_code == 401 and f"API key {key.id} expired at" in refused.json()["detail"]
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_use_is_recorded_as_last_used(served: Served) -> None:
    keys = ApiKeyStore.open(served.home)
    key, secret = keys.create("recommend")
    assert keys.get(key.id).last_used_at is None
    served.client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret))
    used = keys.get(key.id).last_used_at
    assert used is not None and utc_now() - used < timedelta(minutes=1)


def test_key_secrets_stay_out_of_logs_responses_and_the_key_database(served: Served,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    keys = ApiKeyStore.open(served.home)
    good_secret = keys.create("recommend,profiles", org="clinic")[1]
    revoked, revoked_secret = keys.create("recommend")
    keys.revoke(revoked.id)
    wrong_secret = good_secret[:-6] + "AAAAAA"
    texts = []
    profile_id = served.new_profile(bearer(good_secret))
    for secret in (good_secret, revoked_secret, wrong_secret):
        for method, path in (("POST", "/v1/recommendations"), ("GET", f"/v1/profiles/{profile_id}/export"),
                             ("DELETE", "/v1/profiles/p_missing000")):
            response = served.client.request(method, path, json=PROFILE, headers=bearer(secret))
            texts.append(response.text + str(response.headers))
    texts.append(served.client.get("/openapi.json").text)
    logged = [record.getMessage() for record in caplog.records]
    assert any(revoked.id in line for line in logged)  # refusals are logged, by key id
    stored = b"".join(path.read_bytes() for path in keys_path(served.home).parent.glob("api_keys.sqlite3*"))
    for secret in (good_secret, revoked_secret, wrong_secret):
        tail = secret.split("_", 2)[2]  # the 43 secret characters after ippo_<key id>_
        assert len(tail) == 43
        assert not [text[:300] for text in texts if tail in text]
        assert not any(tail in line for line in logged)
        assert tail.encode() not in stored
    assert hashlib.sha256(good_secret.encode()).hexdigest().encode() in stored
