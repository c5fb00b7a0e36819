"""The API keeps serving the previous snapshot while a newly published one loads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from api.snapshots import NoSnapshotError, SnapshotManager
from benchmarks.generated_snapshot import write_snapshot


def _row(i: int) -> dict[str, Any]:
    return {
        "id": f"s{i}", "title": f"介護スタッフ {i}", "url": None, "apply_url": None,
        "employer": {"name": "社", "normalized_name": "社", "registry_tags": []}, "locations": [], "remote": None,
        "employment_types": [], "hours_per_week": None, "salary": None, "valid_through": None, "status": "open",
        "signals": [], "supportiveness": 0.0, "language": "ja", "occupation": None, "duplicate_of": None,
        "description": "介護",
    }


def test_new_version_loads_in_the_background(tmp_path: Path) -> None:
    serving = tmp_path / "home" / "serving"
    manager = SnapshotManager(serving)
    with pytest.raises(NoSnapshotError, match="ippo refresh"):
        manager.get()
    write_snapshot([_row(0)], None, serving, version="20261126T000001Z")
    first = manager.get()
    assert first.version == "20261126T000001Z" and len(first) == 1
    write_snapshot([_row(0), _row(1)], None, serving, version="20261126T000002Z")
    assert manager.get() is first  # still the old one while the new one loads
    deadline = time.monotonic() + 30
    while manager.get().version != "20261126T000002Z":
        assert time.monotonic() < deadline, "the new snapshot never replaced the old one"
        time.sleep(0.05)
    assert len(manager.get()) == 2


def test_a_new_version_is_prepared_before_it_is_served(tmp_path: Path) -> None:
    serving = tmp_path / "home" / "serving"
    prepared: list[str] = []
    manager = SnapshotManager(serving, background=False, prepare=lambda index: prepared.append(index.version))
    write_snapshot([_row(0)], None, serving, version="20261126T000001Z")
    manager.get()
    assert prepared == []  # nothing to warm before the first snapshot
    write_snapshot([_row(0), _row(1)], None, serving, version="20261126T000002Z")
    manager.get()
    assert prepared == ["20261126T000002Z"] and manager.get().version == "20261126T000002Z"


def test_a_failing_preparation_does_not_stop_the_new_version(tmp_path: Path) -> None:
    serving = tmp_path / "home" / "serving"

    def broken(index: object) -> None:
        raise RuntimeError("warming failed")

    manager = SnapshotManager(serving, background=False, prepare=broken)
    write_snapshot([_row(0)], None, serving, version="20261126T000001Z")
    manager.get()
    write_snapshot([_row(0), _row(1)], None, serving, version="20261126T000002Z")
    manager.get()
    assert manager.get().version == "20261126T000002Z"
