"""Operator routes: POST /v1/admin/refresh runs `ippo refresh` in the background (against the local
site of bundled pages here) while the API serves, GET /v1/admin/runs/{id} follows it step by step
and source by source, GET /v1/admin/sources is the table of `ippo sources`; and their scopes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.refresh_progress import RefreshProgress
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ippo.demo_site import serve_pages
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row

OLD_VERSION = "20200101T000000Z"


@dataclass
class Served:
    client: TestClient
    home: Path
    admin: dict[str, str]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    home = tmp_path / "home"
    write_snapshot([listing_row("x1", "データ入力")], None, home / "serving", version=OLD_VERSION)
    sources = tmp_path / "sources.toml"
    with serve_pages(port=0) as base:
        sources.write_text(
            f'[sources.local]\nspider = "jsonld"\nurls = ["{base}/sitemap.xml"]\n'
            '[sources.local.settings]\nDOWNLOAD_DELAY = 0\nAUTOTHROTTLE_ENABLED = false\n'
            '[sources.spare]\nspider = "jsonld"\nenabled = false\nurls = ["http://127.0.0.1:9/sitemap.xml"]\n',
            encoding="utf-8",
        )
        settings = Settings(home=home, sources=sources, user_key=None)
        with TestClient(create_app(settings, embedder=NoModelEmbedder())) as client:
            yield Served(client, home, bearer(issue_key(home, "admin")))


def _wait_for_end(served: Served, run_id: str, seconds: float = 420) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        run = served.client.get(f"/v1/admin/runs/{run_id}", headers=served.admin).json()
        if run["status"] != "running":
            return run
        assert time.monotonic() < deadline, run
        time.sleep(0.5)


def test_a_refresh_started_through_the_api_completes_and_its_run_shows_each_step(served: Served) -> None:
    table = served.client.get("/v1/admin/sources", headers=served.admin)
    assert table.status_code == 200, table.text
    assert {(row["source"], row["enabled"]) for row in table.json()} == {("local", True), ("spare", False)}

    unknown = served.client.post("/v1/admin/refresh", json={"sources": ["local", "nowhere"]}, headers=served.admin)
    assert unknown.status_code == 422 and "nowhere" in unknown.text

    started = served.client.post("/v1/admin/refresh", json={"sources": ["local"]}, headers=served.admin)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert started.json()["status"] == "running" and started.json()["sources"] == ["local"]
    second = served.client.post("/v1/admin/refresh", headers=served.admin)
    assert second.status_code == 409 and run_id in second.json()["detail"]
    # The API keeps serving the old snapshot meanwhile.
    assert served.client.get("/health").json()["snapshot_version"] == OLD_VERSION

    run = _wait_for_end(served, run_id)
    assert run["status"] == "succeeded", Path(run["log"]).read_text(encoding="utf-8")
    assert run["exit_code"] == 0 and run["error"] is None and run["finished_at"]
    crawl, load, publish = run["steps"]
    assert [s["step"] for s in run["steps"]] == ["crawl", "load", "publish"]
    assert all(step["status"] == "done" and step["elapsed_s"] is not None for step in run["steps"])
    assert crawl["items"] == 6 and crawl["errors"] == 0
    [local] = crawl["sources"]
    assert local["source"] == "local" and local["status"] == "done" and local["items"] == 6
    assert local["requests"] >= 7 and local["errors"] == []
    assert load["items"] == 6 and load["errors"] == 0
    assert publish["items"] == 6 and run["snapshot_version"]

    deadline = time.monotonic() + 60
    while served.client.get("/health").json()["snapshot_version"] != run["snapshot_version"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    listings = served.client.get("/v1/listings", headers=bearer(issue_key(served.home, "recommend"))).json()
    assert listings["matching"] == served.client.get("/health").json()["open_listings"] > 0
    after = served.client.get("/v1/admin/sources", headers=served.admin).json()
    assert next(row for row in after if row["source"] == "local")["items"] == 6


def test_a_failed_refresh_says_why(served: Served, tmp_path: Path) -> None:
    (served.home / "warehouse.duckdb").mkdir(parents=True)  # a folder where the warehouse file should be
    run_id = served.client.post("/v1/admin/refresh", json={"sources": ["spare"]}, headers=served.admin).json()["id"]
    run = _wait_for_end(served, run_id)
    assert run["status"] == "failed" and run["exit_code"] != 0
    assert run["error"]
    crawl = run["steps"][0]
    assert crawl["sources"][0]["source"] == "spare"
    assert served.client.get("/v1/admin/runs/r20990101T000000Z000000", headers=served.admin).status_code == 404


def test_sources_table_when_sources_toml_is_broken(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sources = tmp_path / "sources.toml"
    sources.write_text("[sources.local\n", encoding="utf-8")
    with TestClient(create_app(Settings(home=home, sources=sources, user_key=None),
                               embedder=NoModelEmbedder())) as client:
        answer = client.get("/v1/admin/sources", headers=bearer(issue_key(home, "admin")))
    assert answer.status_code == 503 and "sources" in answer.json()["detail"]


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v1/admin/sources"), ("POST", "/v1/admin/refresh"), ("GET", "/v1/admin/runs/r20990101T000000Z000000"),
])
def test_operator_routes_need_the_admin_scope(served: Served, method: str, path: str) -> None:
    assert served.client.request(method, path).status_code == 401
    for scope in ("recommend", "profiles", "counselor"):
        assert served.client.request(method, path, headers=bearer(issue_key(served.home, scope))).status_code == 403
    assert getattr(served.client.app.state, "refresh_runs", None) is None  # nothing was started


LINES = [
    "[1/3] crawl: 2 source(s)",
    "warning: IPPO_CONTACT_URL is not set; set it so site owners can reach you (it goes in the User-Agent)",
    "crawling a (jsonld) ...",
    "  a: 12 items, 14 requests, 1 invalid JSON-LD blocks, 3.2s -> /h/raw/a/run.jsonl",
    "crawling b (jsonld) ...",
    "  b: crawl FAILED (exit 1); see /h/logs/b.log",
    "[2/3] load",
    "loaded 1 raw run(s): 12 items -> 10 new, 1 changed, 0 unchanged, 1 quarantined; 0 closed as expired, 0 closed "
    "as unseen",
    "[3/3] publish",
    "published snapshot 20261203T000000Z: 10 listings (10 open), 10 embedded now with all-MiniLM-L6-v2",
    "warning: 1 source(s) failed to crawl",
]


def test_progress_is_read_from_the_commands_lines() -> None:
    progress = RefreshProgress()
    for at, line in enumerate(LINES):
        progress.feed(line, float(at))
        if line.startswith("crawling b"):
            running = progress.to_list(float(at) + 0.5)[0]
            assert running["status"] == "running" and running["sources"][1]["status"] == "running"
    progress.end(1, 20.0)
    crawl, load, publish = progress.to_list(30.0)
    assert crawl["status"] == "done" and crawl["items"] == 12 and crawl["errors"] == 1 and crawl["elapsed_s"] == 6.0
    assert crawl["sources"][0] == {"source": "a", "status": "done", "items": 12, "requests": 14,
                                   "invalid_jsonld": 1, "errors": [], "elapsed_s": 3.2}
    assert crawl["sources"][1]["status"] == "failed" and crawl["sources"][1]["errors"] == ["exit 1"]
    assert load["items"] == 12 and load["errors"] == 1 and load["status"] == "done"
    assert publish["status"] == "done" and publish["items"] == 10 and publish["elapsed_s"] == 12.0
    assert progress.snapshot_version == "20261203T000000Z"


def test_a_command_that_stops_in_a_step_fails_that_step() -> None:
    progress = RefreshProgress()
    for at, line in enumerate(["[1/3] crawl: 1 source(s)", "crawling a (jsonld) ...",
                               "  a: 3 items, 4 requests, 0 invalid JSON-LD blocks, 1.0s -> x", "[2/3] load",
                               "error: the warehouse is busy"]):
        progress.feed(line, float(at))
    progress.end(3, 9.0)
    crawl, load, publish = progress.to_list(10.0)
    assert (crawl["status"], load["status"], publish["status"]) == ("done", "failed", "pending")
    assert progress.problems == ["error: the warehouse is busy"] and publish["elapsed_s"] is None
