"""The listing facts are read when the API starts; when that fails, the API starts all the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ranker.listing_facts
from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import listing_row

VERSION = "20261126T000000Z"


def _app(home: Path) -> Any:
    write_snapshot([listing_row("a1", "看護師")], None, home / "serving", version=VERSION)
    return create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())


def test_the_facts_are_read_before_the_first_search(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path)) as client:
        assert client.app.state.listing_facts._cached(VERSION) is not None  # type: ignore[attr-defined]


def test_a_failed_read_ahead_does_not_stop_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("unreadable")

    monkeypatch.setattr(ranker.listing_facts, "_read_facts", broken)
    with TestClient(_app(tmp_path)) as client:
        assert client.get("/health").status_code == 200
    assert any("could not read the listing facts" in record.getMessage() for record in caplog.records)
