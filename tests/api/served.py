"""One way for the API tests to serve hand-written listing rows: a row builder with sensible
stated defaults (on site in 新宿区, part-time, 15-20 hours), API keys, and a client on a snapshot
of them that sends a key of every scope but admin."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.users.api_keys import ApiKeyStore

CLIENT_SCOPES = "recommend,profiles"


def listing_row(listing_id: str, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": listing_id, "title": title, "url": f"https://example.org/{listing_id}", "apply_url": None,
        "employer": {"name": f"{listing_id}社", "normalized_name": f"{listing_id}社", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 15.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


def issue_key(home: Path, scopes: str = CLIENT_SCOPES, org: str | None = None, **options: Any) -> str:
    """A new API key in the key database under ``home``, as `ippo keys create` makes it."""
    return ApiKeyStore.open(home).create(scopes, org=org, **options)[1]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def with_key(client: TestClient, home: Path, scopes: str = CLIENT_SCOPES, org: str | None = None) -> TestClient:
    """The client, now sending a new key of ``scopes`` with every request."""
    client.headers.update(bearer(issue_key(home, scopes, org)))
    return client


@contextmanager
def serving(rows: list[dict[str, Any]], home: Path, embedder: Any) -> Iterator[TestClient]:
    """A test client of the API on a snapshot of ``rows`` under ``home`` (no user key), sending a
    key with the scopes recommend and profiles."""
    write_snapshot(rows, None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as client:
        yield with_key(client, home)


@contextmanager
def uvicorn_serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, as `ippo serve` serves it (its lifespan
    included); yields the base URL. uvicorn's loggers keep propagating (log_config=None)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False,
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def unthrottle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the per-key rate limit for tests that page through results with one key."""
    monkeypatch.setenv("IPPO_RATE_LIMIT_PER_MINUTE", "600000")
    monkeypatch.setenv("IPPO_RATE_LIMIT_BURST", "100000")
