"""Build files of killed publishes are removed at the start of the next publish and counted; the
build file of a publish that is still running is never touched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from ippo.config import Settings
from ippo.steps import publish_step
from pipeline.warehouse.build_files import LOCK_FILE, holding_build_lock, leftover_files, prune_stale_builds
from pipeline.warehouse.load import load
from pipeline.warehouse.pointer import current_snapshot
from pipeline.warehouse.publish import publish
from tests.conftest import PAGES, ROOT

NOW = datetime(2026, 11, 26, 12, 0, 0)
KILLED = ["20261125T000000000000Z.duckdb.building", "20261125T000000000000Z.duckdb.building.wal",
          ".current.json.4242.tmp"]


def _leave_killed_publish(serving: Path) -> None:
    serving.mkdir(parents=True, exist_ok=True)
    for name in KILLED:
        (serving / name).write_bytes(b"left by a publish that was killed")


def _warehouse(home: Path) -> Path:
    """A warehouse loaded from one real page."""
    extraction = extract_from_html(decode_page((PAGES / "indeed_job.html").read_bytes()).text)
    item = {"kind": "jobposting", "source": "demo", "url": "http://127.0.0.1/jobs/indeed_job.html",
            "canonical_url": extraction.canonical_url, "payload": extraction.postings[0]}
    run = home / "raw" / "demo" / "20261126T000000Z.jsonl"
    run.parent.mkdir(parents=True)
    run.write_text(json.dumps(item) + "\n", encoding="utf-8")
    load(home / "warehouse.duckdb", home / "raw", now=NOW)
    return home / "warehouse.duckdb"


def test_a_publish_removes_what_killed_publishes_left_and_counts_it(tmp_path: Path) -> None:
    warehouse, serving = _warehouse(tmp_path), tmp_path / "serving"
    _leave_killed_publish(serving)
    result = publish(warehouse, serving)
    assert sorted(result.stale_builds.removed) == sorted(KILLED) and result.stale_builds.skipped is None
    assert result.stale_builds.summary() == "removed 3 leftover build file(s) of interrupted publishes"
    assert leftover_files(serving) == [] and current_snapshot(serving) == result.path
    assert publish(warehouse, serving).stale_builds.removed == []


def test_ippo_publish_reports_the_removed_files(tmp_path: Path, embedder: Any) -> None:
    home = tmp_path / "home"
    _warehouse(home)
    _leave_killed_publish(home / "serving")
    lines: list[str] = []
    publish_step(Settings(home=home, user_key=None), lines.append, embedder=embedder)
    assert "removed 3 leftover build file(s) of interrupted publishes" in lines


def test_the_build_file_of_a_running_publish_is_kept(tmp_path: Path) -> None:
    warehouse, serving = _warehouse(tmp_path), tmp_path / "serving"
    seen: dict[str, Any] = {}

    def enrich_while_another_publish_starts(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
        _leave_killed_publish(serving)  # as if killed earlier: must wait for the next publish
        seen["building"] = sorted(p.name for p in serving.glob("*.duckdb.building") if p.name not in KILLED)
        seen["report"] = prune_stale_builds(serving)  # what a publish starting now would do
        seen["kept"] = [name for name in seen["building"] if (serving / name).exists()]
        return {}

    result = publish(warehouse, serving, enrichers=[enrich_while_another_publish_starts])
    assert seen["building"] == [f"{result.version}.duckdb.building"] == seen["kept"]
    assert seen["report"].removed == [] and "another publish is running" in (seen["report"].skipped or "")
    assert current_snapshot(serving) == result.path and result.listings == 1
    assert {p.name for p in leftover_files(serving)} == set(KILLED)  # still there: the next publish removes them
    assert sorted(publish(warehouse, serving).stale_builds.removed) == sorted(KILLED)


def test_a_killed_writer_releases_its_build_lock(tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    serving.mkdir()
    building = serving / "20261126T000000000000Z.duckdb.building"
    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pipeline.warehouse.build_files import holding_build_lock\n"
        "serving = Path(sys.argv[1])\n"
        "with holding_build_lock(serving):\n"
        "    (serving / sys.argv[2]).write_bytes(b'building')\n"
        "    print('building', flush=True)\n"
        "    time.sleep(120)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", holder, str(serving), building.name], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "building"
        assert prune_stale_builds(serving).removed == [] and building.exists()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert prune_stale_builds(serving).removed == [building.name] and not building.exists()


def test_writers_share_the_lock_and_nothing_is_pruned_without_a_folder(tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    with holding_build_lock(serving), holding_build_lock(serving):  # two writers do not wait on each other
        assert (serving / LOCK_FILE).exists()
    assert prune_stale_builds(tmp_path / "absent").removed == []


@pytest.mark.parametrize("name", ["20261126T000000000000Z.duckdb", "current.json", "notes.building"])
def test_snapshots_and_the_pointer_are_never_leftovers(tmp_path: Path, name: str) -> None:
    serving = tmp_path / "serving"
    serving.mkdir()
    (serving / name).write_bytes(b"keep")
    assert prune_stale_builds(serving).removed == [] and (serving / name).exists()
