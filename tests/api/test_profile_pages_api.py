"""GET /v1/profiles/{id}/recommendations (cursor pages of the POST's ranked list) and PATCH
/v1/profiles/{id} (merge patch, validated like creation, embedding refreshed on a text change),
with the object-level authorisation of every profile route."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from benchmarks.generated_snapshot import write_snapshot
from ranker.users.api_keys import ApiKeyStore
from tests.api.served import bearer, issue_key, listing_row, serving, unthrottle

SECRET = "通院しながら働きたいです"
PROFILE = {"summary": SECRET, "desired_titles": ["データ入力"], "constraints": {"remote": "avoid"}}
ROWS = [
    *[listing_row(f"d{i:02d}", f"データ入力スタッフ{i}") for i in range(14)],
    *[listing_row(f"e{i:02d}", f"データ入力・事務{i}") for i in range(6)],
    listing_row("c01", "清掃スタッフ"),
    listing_row("w01", "倉庫内ピッキング"),
]


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests page through results with one key: no rate limit in the way."""
    unthrottle(monkeypatch)


@dataclass
class Served:
    client: TestClient
    home: Path
    owner: dict[str, str]

    def key(self, scopes: str, org: str | None = None) -> dict[str, str]:
        return bearer(issue_key(self.home, scopes, org))

    def new_profile(self, profile: dict[str, Any] | None = None) -> str:
        created = self.client.post("/v1/profiles", json=profile or PROFILE, headers=self.owner)
        assert created.status_code == 201, created.text
        return created.json()["id"]

    def pages(self, profile_id: str, k: int, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        pages, cursor = [], None
        while True:
            params = {"k": k} | ({"cursor": cursor} if cursor else {})
            answer = self.client.get(f"/v1/profiles/{profile_id}/recommendations", params=params,
                                     headers=headers or self.owner)
            assert answer.status_code == 200, answer.text
            pages.append(answer.json())
            cursor = answer.json()["next_cursor"]
            if cursor is None:
                return pages


@pytest.fixture
def served(tmp_path: Path, embedder: Any) -> Iterator[Served]:
    home = tmp_path / "home"
    with serving(ROWS, home, embedder) as client:
        yield Served(client, home, bearer(issue_key(home, "profiles,recommend", org="clinic")))


def _ids(results: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in results]


def test_pages_cut_the_posts_ranked_list_and_visit_each_result_once(served: Served) -> None:
    profile_id = served.new_profile()
    max_k = served.client.app.state.settings.max_k
    whole = served.client.post(f"/v1/profiles/{profile_id}/recommendations", params={"k": max_k},
                               headers=served.owner).json()
    for k in (1, 4, 7, max_k):
        pages = served.pages(profile_id, k)
        results = [r for page in pages for r in page["results"]]
        assert _ids(results) == _ids(whole["results"])
        assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
        assert len(set(_ids(results))) == len(results)
        assert all(len(page["results"]) == k for page in pages[:-1])
        first = pages[0]
        assert {name: first[name] for name in whole if name != "results"} == \
               {name: whole[name] for name in whole if name != "results"}
        assert results[0] == whole["results"][0]


def test_cursor_of_another_profile_or_snapshot(served: Served) -> None:
    first, second = served.new_profile(), served.new_profile()
    cursor = served.client.get(f"/v1/profiles/{first}/recommendations", params={"k": 2},
                               headers=served.owner).json()["next_cursor"]
    assert cursor
    other = served.client.get(f"/v1/profiles/{second}/recommendations", params={"k": 2, "cursor": cursor},
                              headers=served.owner)
    assert other.status_code == 400 and "start again" in other.text
    junk = served.client.get(f"/v1/profiles/{first}/recommendations", params={"cursor": "xyz"}, headers=served.owner)
    assert junk.status_code == 400
    write_snapshot(ROWS[:8], None, served.home / "serving", version="20261127T000000Z")
    deadline = time.monotonic() + 30
    while served.client.get("/health").json()["snapshot_version"] != "20261127T000000Z":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    stale = served.client.get(f"/v1/profiles/{first}/recommendations", params={"k": 2, "cursor": cursor},
                              headers=served.owner)
    assert stale.status_code == 410 and "start again without cursor" in stale.json()["detail"]


def _grant(served: Served, profile_id: str) -> dict[str, str]:
    counselor_id, counselor_key = ApiKeyStore.open(served.home).create("counselor", org="support-office")
    granted = served.client.post(f"/v1/profiles/{profile_id}/grants", headers=served.owner,
                                 json={"counselor_key_id": counselor_id.id, "consent": True})
    assert granted.status_code == 201, granted.text
    return bearer(counselor_key)


def test_who_may_page_recommendations(served: Served) -> None:
    profile_id = served.new_profile()
    path = f"/v1/profiles/{profile_id}/recommendations"
    assert served.client.get(path, headers={"Authorization": ""}).status_code == 401
    for scope in ("recommend", "admin"):
        assert served.client.get(path, headers=served.key(scope, org="clinic")).status_code == 403, scope
    assert served.client.get(path, headers=served.key("profiles", org="elsewhere")).status_code == 404
    assert served.client.get(path, headers=served.key("counselor", org="clinic")).status_code == 404
    assert served.client.get(path, headers=served.key("profiles", org="clinic")).status_code == 200
    counselor = _grant(served, profile_id)
    assert [r["id"] for page in served.pages(profile_id, 5, counselor) for r in page["results"]]
    assert served.client.get("/v1/profiles/p_doesnotexist0000/recommendations", headers=served.owner).status_code \
        == 404


def test_patch_changes_only_the_fields_sent_and_refreshes_the_embedding_on_a_text_change(served: Served) -> None:
    profile_id = served.new_profile()
    path = f"/v1/profiles/{profile_id}"
    before = served.client.get(f"{path}/export", headers=served.owner).json()
    assert _ids(served.pages(profile_id, 3)[0]["results"])[0].startswith(("d", "e"))

    titles = served.client.patch(path, json={"desired_titles": ["清掃"]}, headers=served.owner)
    assert titles.status_code == 200, titles.text
    assert titles.json() == {"id": profile_id, "changed": ["desired_titles"], "embedding_refreshed": True}
    after = served.client.get(f"{path}/export", headers=served.owner).json()
    assert after["profile"]["desired_titles"] == ["清掃"] and after["profile"]["summary"] == SECRET
    assert after["embedding"]["vector"] != before["embedding"]["vector"]
    assert after["embedding"]["model"] == before["embedding"]["model"]
    # The scores cached for the old text are dropped: the next page ranks for the new titles.
    assert _ids(served.pages(profile_id, 3)[0]["results"])[0] == "c01"

    hours = served.client.patch(path, json={"constraints": {"max_hours_per_week": 25}}, headers=served.owner)
    assert hours.json() == {"id": profile_id, "changed": ["constraints"], "embedding_refreshed": False}
    constraints = served.client.get(path, headers=served.owner).json()["profile"]["constraints"]
    assert constraints["max_hours_per_week"] == 25 and constraints["remote"] == "avoid"
    unchanged_vector = served.client.get(f"{path}/export", headers=served.owner).json()["embedding"]["vector"]
    assert unchanged_vector == after["embedding"]["vector"]

    removed = served.client.patch(path, json={"constraints": {"remote": None}}, headers=served.owner)
    assert removed.json()["changed"] == ["constraints"]
    assert served.client.get(path, headers=served.owner).json()["profile"]["constraints"]["remote"] == "any"
    same = served.client.patch(path, json={"summary": SECRET}, headers=served.owner)
    assert same.json() == {"id": profile_id, "changed": [], "embedding_refreshed": False}


@pytest.mark.parametrize("patch", [
    {"needs": ["disability_employment"]},  # sensitive without consent
    {"desired_titles": [], "summary": "", "skills": []},  # says nothing about the work
    {"constraints": {"remote": SECRET}},
    {"favourite_colour": SECRET},
    {"interests": {"Q": 3}},
])
def test_an_invalid_patch_is_422_stores_nothing_and_echoes_nothing(served: Served, patch: dict[str, Any]) -> None:
    profile_id = served.new_profile()
    stored = served.client.get(f"/v1/profiles/{profile_id}", headers=served.owner).json()
    answer = served.client.patch(f"/v1/profiles/{profile_id}", json=patch, headers=served.owner)
    assert answer.status_code == 422, answer.text
    assert SECRET not in answer.text
    assert served.client.get(f"/v1/profiles/{profile_id}", headers=served.owner).json() == stored


def test_only_the_owner_may_patch(served: Served) -> None:
    profile_id = served.new_profile()
    path = f"/v1/profiles/{profile_id}"
    change = {"skills": ["Excel"]}
    assert served.client.patch(path, json=change, headers={"Authorization": ""}).status_code == 401
    for scope in ("recommend", "counselor", "admin"):
        assert served.client.patch(path, json=change, headers=served.key(scope, org="clinic")).status_code == 403
    assert served.client.patch(path, json=change, headers=served.key("profiles", org="elsewhere")).status_code == 404
    counselor = _grant(served, profile_id)
    assert served.client.patch(path, json=change, headers=counselor).status_code == 403
    both_id, both_key = ApiKeyStore.open(served.home).create("profiles,counselor", org="other-office")
    served.client.post(f"{path}/grants", headers=served.owner, json={"counselor_key_id": both_id.id, "consent": True})
    refused = served.client.patch(path, json=change, headers=bearer(both_key))
    assert refused.status_code == 403  # granted to read, never to change
    assert served.client.get(path, headers=served.owner).json()["profile"]["skills"] == []
    assert served.client.patch(path, json=change, headers=served.key("profiles", org="clinic")).status_code == 200
    assert served.client.patch("/v1/profiles/p_doesnotexist0000", json=change,
                               headers=served.owner).status_code == 404
