"""GET /v1/support: offices near a place from the served snapshot's support tables, with the
recommend scope, the one error body, undeclared parameters refused and limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ippo.config import Settings
from tests.api.served import bearer, issue_key, listing_row
from tests.ranker.support.fixture import write_support_snapshot

ROWS = [listing_row("a1", "データ入力", locations=[{"country": "JP", "region": "東京都", "locality": "中野区"}])]


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_support_snapshot(ROWS, home / "serving")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as served:
        served.headers.update(bearer(issue_key(home, "recommend")))
        served.app.state.test_home = home  # type: ignore[attr-defined]
        yield served


def test_offices_near_a_postcode(client: TestClient) -> None:
    answer = client.get("/v1/support", params={"near": "164-0014", "types": ["shuro_ikou"], "radius_km": 3,
                                               "limit": 2})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "found" and body["hellowork_offices"] == ["新宿"]
    assert [o["name"] for o in body["offices"]] == ["ディーキャリアＩＴエキスパート　中野オフィス",
                                                    "ワークステーションJade中野"]
    assert body["place"]["municipality_code"] == "13114" and body["place"]["approximate"] is True


def test_coordinates_and_repeated_types(client: TestClient) -> None:
    body = client.get("/v1/support?near=35.70567,139.66571&types=shuro_teichaku&types=shuro_keizoku_a"
                      "&radius_km=5").json()
    assert [o["service_type"] for o in body["offices"]] == ["shuro_teichaku", "shuro_keizoku_a"]
    assert body["hellowork_offices"] == []


def test_an_unknown_postcode_is_422_naming_it(client: TestClient) -> None:
    answer = client.get("/v1/support", params={"near": "999-9999"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_request" and body["problems"][0]["field"] == "query.near"
    assert "999-9999" in body["problems"][0]["problem"]


@pytest.mark.parametrize("query", ["near=164-0014&limt=3", "near=164-0014&types=shuro", "near=164-0014&limit=51",
                                   "near=164-0014&radius_km=0", "near=164-0014&radius_km=500", "types=shuro_ikou"])
def test_invalid_queries_are_422(client: TestClient, query: str) -> None:
    answer = client.get(f"/v1/support?{query}")
    assert answer.status_code == 422, answer.text
    assert set(answer.json()) == {"status", "error", "detail", "problems"}


def test_the_route_needs_a_key_with_the_recommend_scope(client: TestClient) -> None:
    home = client.app.state.test_home  # type: ignore[attr-defined]
    assert client.get("/v1/support?near=164-0014", headers={"Authorization": ""}).status_code == 401
    profiles_only = bearer(issue_key(home, "profiles"))
    assert client.get("/v1/support?near=164-0014", headers=profiles_only).status_code == 403


def test_empty_support_tables_answer_not_loaded(tmp_path: Path, embedder: Any) -> None:
    home = tmp_path / "home"
    write_support_snapshot(ROWS, home / "serving", offices=[], hellowork=[])
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as served:
        body = served.get("/v1/support?near=164-0014", headers=bearer(issue_key(home, "recommend"))).json()
    assert body["status"] == "not_loaded" and body["offices"] == [] and body["offices_loaded"] is False


def test_recommendations_carry_support_for_a_home(client: TestClient) -> None:
    profile = {"language": "ja", "desired_titles": ["データ入力"], "needs": ["career_gap_ok"],
               "home": {"postal_code": "164-0014"}, "constraints": {"max_commute_km": 5}}
    home = client.app.state.test_home  # type: ignore[attr-defined]
    body = client.post("/v1/recommendations", json=profile, headers=bearer(issue_key(home, "recommend"))).json()
    assert body["support"]["hellowork_offices"] == ["新宿"]
    result = body["results"][0]
    assert result["commute_km"] == 0.0 and len(result["support_nearby"]) == 3
    refused = client.post("/v1/recommendations", json={**profile, "home": {"postal_code": "999-9999"}})
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "home.postal_code"
    assert "999-9999" in refused.json()["problems"][0]["problem"]
