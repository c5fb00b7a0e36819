"""Several API workers: the routes that only read serve as before; stored profiles and refreshes
started from the API answer 503 in every worker, saying why; the state lookups of every request
run on the event loop, not in the thread pool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastapi.dependencies.utils
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row

PROFILE = {"language": "ja", "desired_titles": ["看護師"]}


def _client(home: Path, workers: int) -> TestClient:
    write_snapshot([listing_row("a1", "看護師"), listing_row("a2", "介護職員")], None, home / "serving",
                   version="20261126T000000Z")
    return TestClient(create_app(Settings(home=home, user_key=None, api_workers=workers), embedder=NoModelEmbedder()))


def test_with_several_workers_stored_profiles_and_refreshes_answer_503_and_ranking_still_serves(
        tmp_path: Path) -> None:
    with _client(tmp_path, workers=2) as client:
        client.headers.update(bearer(issue_key(tmp_path, "recommend,profiles")))
        assert client.post("/v1/recommendations", json=PROFILE).status_code == 200
        assert client.get("/v1/listings", params={"q": "看護師"}).status_code == 200
        stored = client.post("/v1/profiles", json=PROFILE)
        assert stored.status_code == 503
        assert "2 workers" in stored.json()["detail"] and "ippo serve --workers 1" in stored.json()["detail"]
        admin = bearer(issue_key(tmp_path, "admin"))
        run = client.get("/v1/admin/runs/r20261126T000000Za1b2c3", headers=admin)
        for answer in (client.post("/v1/admin/refresh", headers=admin), run):
            assert answer.status_code == 503 and "ippo serve --workers 1" in answer.json()["detail"]
    assert not (tmp_path / "users.duckdb").exists()  # no worker opened the user store


def test_with_one_worker_stored_profiles_are_served(tmp_path: Path) -> None:
    with _client(tmp_path, workers=1) as client:
        client.headers.update(bearer(issue_key(tmp_path, "recommend,profiles")))
        assert client.post("/v1/profiles", json=PROFILE).status_code == 201


def test_state_lookups_do_not_take_a_trip_through_the_thread_pool(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    threaded: list[str] = []
    original = fastapi.dependencies.utils.run_in_threadpool

    async def recorded(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        threaded.append(func.__name__)
        return await original(func, *args, **kwargs)

    with _client(tmp_path, workers=1) as client:
        client.headers.update(bearer(issue_key(tmp_path, "recommend,profiles")))
        monkeypatch.setattr(fastapi.dependencies.utils, "run_in_threadpool", recorded)
        assert client.post("/v1/recommendations", json=PROFILE).status_code == 200
        assert client.get("/v1/listings", params={"q": "看護師", "limit": 5}).status_code == 200
    assert threaded  # the key check and the index still run in the pool
    assert not {"get_settings", "get_embedder", "get_query_vectors", "cap_page_size",
                "reject_unknown_query"} & set(threaded), threaded
