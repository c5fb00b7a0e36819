"""Resource limits of the API: body size (by Content-Length and while streaming), results per
request, requests per key, ranking time and stored profiles per owner; each refusal is the one
error body."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.routers.recommendations as recommendations_router
from api.main import create_app
from api.rate_limits import TokenBuckets
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row, with_key

PROFILE = {"summary": "データ入力の仕事", "desired_titles": ["データ入力"]}


@contextmanager
def _client(home: Path, **settings: Any) -> Iterator[TestClient]:
    write_snapshot([listing_row("u1", "データ入力")], None, home / "serving", version="20261126T000000Z")
    app = create_app(Settings(home=home, user_key=None, **settings), embedder=NoModelEmbedder())  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield with_key(client, home)


def _is_error(response: Any, status: int, error: str) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == status, response.text
    assert set(body) == {"status", "error", "detail", "problems"}
    assert (body["status"], body["error"]) == (status, error)
    return body


def test_a_body_over_the_limit_is_refused_by_its_content_length(tmp_path: Path) -> None:
    with _client(tmp_path / "home", max_body_bytes=2048) as client:
        big = {"summary": "x" * 4000, "desired_titles": ["データ入力"]}
        body = _is_error(client.post("/v1/recommendations", json=big), 413, "payload_too_large")
        assert "2048 bytes" in body["detail"]
        assert client.post("/v1/profiles", json=PROFILE).status_code == 201


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(tmp_path: Path) -> None:
    chunks_read: list[int] = []

    def chunks() -> Iterator[bytes]:
        for number in range(1000):  # 1000 chunks of 1 KiB; no Content-Length is sent
            chunks_read.append(number)
            yield b'{"summary": "' if number == 0 else b"y" * 1024

    with _client(tmp_path / "home", max_body_bytes=4096) as client:
        response = client.post("/v1/profiles", content=chunks(), headers={"Content-Type": "application/json"})
        _is_error(response, 413, "payload_too_large")
        assert client.get("/v1/profiles").json() == []


def test_k_above_the_most_results_is_422_and_documented(tmp_path: Path) -> None:
    with _client(tmp_path / "home", max_k=5) as client:
        body = _is_error(client.post("/v1/recommendations?k=6", json=PROFILE), 422, "invalid_request")
        assert body["problems"] == [{"field": "query.k", "problem": "at most 5 results per request (IPPO_MAX_K); "
                                     "ask for 5 or fewer"}]
        parameters = client.get("/openapi.json").json()["paths"]["/v1/recommendations"]["post"]["parameters"]
        [k] = [p for p in parameters if p["name"] == "k"]
        assert k["schema"]["maximum"] == 5


def test_every_page_size_parameter_has_a_documented_maximum(tmp_path: Path) -> None:
    with _client(tmp_path / "home") as client:
        paths = client.get("/openapi.json").json()["paths"]
    sizes = [(path, parameter) for path, operations in paths.items() for operation in operations.values()
             for parameter in operation.get("parameters", []) if parameter["name"] in ("k", "limit")]
    assert sizes
    assert all("maximum" in parameter["schema"] for _, parameter in sizes), sizes


def test_a_key_over_its_rate_gets_429_with_retry_after_and_other_keys_do_not(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with _client(home, rate_limit_per_minute=1, rate_limit_burst=2) as client:
        assert [client.get("/v1/profiles").status_code for _ in range(2)] == [200, 200]
        refused = client.get("/v1/profiles")
        _is_error(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert client.get("/v1/profiles", headers=bearer(issue_key(home))).status_code == 200
        assert client.get("/v1/profiles", headers={"Authorization": "Bearer ippo_k0000000000_nope"}).status_code \
            == 401


def test_token_buckets_refill_at_the_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=2, clock=lambda: now[0])
    assert [buckets.take("k1"), buckets.take("k1")] == [0.0, 0.0]
    assert buckets.take("k1") == pytest.approx(1.0)
    now[0] = 0.5
    assert buckets.take("k1") == pytest.approx(0.5)
    now[0] = 1.0
    assert buckets.take("k1") == 0.0
    assert buckets.take("k2") == 0.0


def test_an_owner_stores_at_most_the_quota_of_profiles(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with _client(home, max_profiles_per_owner=2) as client:
        ids = [client.post("/v1/profiles", json=PROFILE).json()["id"] for _ in range(2)]
        body = _is_error(client.post("/v1/profiles", json=PROFILE), 403, "quota_exceeded")
        assert "2 profiles" in body["detail"] and "DELETE /v1/profiles/{id}" in body["detail"]
        org_key = bearer(issue_key(home, org="center-b"))
        assert client.post("/v1/profiles", json=PROFILE, headers=org_key).status_code == 201
        assert client.delete(f"/v1/profiles/{ids[0]}").status_code == 200
        assert client.post("/v1/profiles", json=PROFILE).status_code == 201


def test_a_slow_ranking_answers_503_timeout_and_the_api_keeps_serving(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.6)
        raise RuntimeError("never answered")

    monkeypatch.setattr(recommendations_router, "recommend", slow)
    with _client(tmp_path / "home", request_timeout_seconds=0.1) as client:
        started = time.perf_counter()
        refused = client.post("/v1/recommendations", json=PROFILE)
        assert time.perf_counter() - started < 0.5
        body = _is_error(refused, 503, "timeout")
        assert "0.1 s" in body["detail"] and refused.headers["Retry-After"]
        assert client.get("/health").status_code == 200
        time.sleep(0.7)  # the abandoned ranking ends in the background
