"""An empty or corrupt serving/current.json (what a power loss can leave) does not take the API
down: it serves the newest complete snapshot, or answers /health and says why /ready is not."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from pipeline.warehouse.pointer import POINTER
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row, uvicorn_serving


def _app(home: Path) -> FastAPI:
    return create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())  # type: ignore[arg-type]


@pytest.mark.parametrize("pointer", [b"", b'{"file": "2026112', b"\x00" * 64])
def test_a_corrupt_pointer_serves_the_newest_complete_snapshot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, pointer: bytes
) -> None:
    serving = tmp_path / "home" / "serving"
    write_snapshot([listing_row("a1", "データ入力")], None, serving, version="20261126T000001Z")
    write_snapshot([listing_row("a1", "データ入力"), listing_row("a2", "清掃")], None, serving,
                   version="20261126T000002Z")
    (serving / "20261126T000003Z.duckdb.building").write_bytes(b"a publish that was cut off")
    (serving / POINTER).write_bytes(pointer)
    with caplog.at_level(logging.WARNING), TestClient(_app(tmp_path / "home")) as client:
        health = client.get("/health")
        ready = client.get("/ready")
    assert health.status_code == 200 and health.json()["snapshot_version"] == "20261126T000002Z"
    assert health.json()["listings"] == 2
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "snapshot_version": "20261126T000002Z"}
    assert any("20261126T000002Z.duckdb" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_no_complete_snapshot_answers_health_and_says_why_it_is_not_ready(tmp_path: Path) -> None:
    serving = tmp_path / "home" / "serving"
    serving.mkdir(parents=True)
    (serving / "20261126T000003Z.duckdb.building").write_bytes(b"a publish that was cut off")
    (serving / POINTER).write_bytes(b"")
    with uvicorn_serving(_app(tmp_path / "home")) as base:  # starts: the lifespan survives the empty pointer
        health = httpx.get(f"{base}/health", timeout=30)
        ready = httpx.get(f"{base}/ready", timeout=30)
        ranked = httpx.post(f"{base}/v1/recommendations", json={"desired_titles": ["清掃"]}, timeout=30,
                            headers=bearer(issue_key(tmp_path / "home")))
    assert health.status_code == 200 and health.json()["status"] == "no_data"
    assert ready.status_code == 503
    reason = ready.json()["detail"]
    assert reason.startswith("not ready:") and f"{POINTER} is empty" in reason and "ippo publish" in reason
    assert ranked.status_code == 503 and "ippo publish" in ranked.json()["detail"]


def test_ready_before_the_first_publish_says_to_refresh(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path / "home")) as client:
        ready = client.get("/ready")
    assert ready.status_code == 503 and "no published snapshot yet" in ready.json()["detail"]
