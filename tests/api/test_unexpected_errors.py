"""An unexpected exception answers 500 with the error shape and leaves nothing of the request in
any log: not its message, not its traceback, not the raw path with ids, under uvicorn too."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import api.routers.recommendations as recommendations_router
from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row, uvicorn_serving, with_key

SENTINEL = "SENTINEL-wheelchair-user-epilepsy-7f3a"
INTERNAL_ERROR = {"status": 500, "error": "internal_error", "detail": "internal error; the request was not stored",
                  "problems": []}
PROFILE = {"summary": SENTINEL, "desired_titles": ["データ入力"]}


def _raise_with_profile(index: Any, profile: Any, **_: Any) -> Any:
    raise RuntimeError(f"ranking failed for {profile.summary}")


def _raise_with_id(item_id: str) -> None:
    raise ValueError(f"no such thing as {item_id}")


def _app(home: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    write_snapshot([listing_row("u1", "データ入力")], None, home / "serving", version="20261126T000000Z")
    monkeypatch.setattr(recommendations_router, "recommend", _raise_with_profile)
    app = create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())  # type: ignore[arg-type]
    app.add_api_route("/v1/things/{item_id}", _raise_with_id, methods=["GET"])
    return app


def _leaks(records: list[logging.LogRecord], secret: str) -> list[str]:
    """Every text the server side logged (messages, tracebacks, stack info) that contains the
    secret; the test's own HTTP client logs the URL it requested and is not the server."""
    formatter = logging.Formatter()
    leaked = []
    for record in records:
        if record.name.startswith("httpx"):
            continue
        texts = [record.getMessage(), record.stack_info or ""]
        if record.exc_info:
            texts.append(formatter.formatException(record.exc_info))
        leaked.extend(text for text in texts if secret in text)
    return leaked


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # raise_server_exceptions stays on: an exception that escaped the app would fail the request.
    with TestClient(_app(tmp_path / "home", monkeypatch)) as test_client:
        yield with_key(test_client, tmp_path / "home")


def test_an_internal_error_is_the_error_shape_and_logs_no_content(client: TestClient,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post("/v1/recommendations", json=PROFILE)
    assert response.status_code == 500
    assert response.json() == INTERNAL_ERROR
    assert SENTINEL not in response.text
    assert _leaks(caplog.records, SENTINEL) == []
    assert all(record.exc_info is None for record in caplog.records)
    [logged] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged == "unexpected RuntimeError on POST /v1/recommendations"


def test_the_log_names_the_route_template_not_the_ids(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.get(f"/v1/things/p_{SENTINEL}")
    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)
    assert _leaks(caplog.records, SENTINEL) == []
    assert "unexpected ValueError on GET /v1/things/{item_id}" in [r.getMessage() for r in caplog.records]


def test_uvicorn_logs_no_traceback_and_no_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with uvicorn_serving(_app(tmp_path / "home", monkeypatch)) as base:
        response = httpx.post(f"{base}/v1/recommendations", json=PROFILE, timeout=30,
                              headers=bearer(issue_key(tmp_path / "home")))
    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)
    assert _leaks(caplog.records, SENTINEL) == []
    uvicorn_errors = [r for r in caplog.records if r.name.startswith("uvicorn") and r.levelno >= logging.ERROR]
    assert uvicorn_errors == []
    assert "unexpected RuntimeError on POST /v1/recommendations" in [r.getMessage() for r in caplog.records]
