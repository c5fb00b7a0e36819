"""A snapshot of an older format (no precomputed serving columns) is refused with a message
that says to re-publish; the API keeps serving what it has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from api.snapshots import NoSnapshotError, SnapshotManager
from benchmarks.generated_snapshot import write_snapshot
from ranker.serving_index import ServingIndex, SnapshotFormatError


def _row(i: int) -> dict[str, Any]:
    return {
        "id": f"f{i}", "title": f"清掃スタッフ {i}", "url": None, "apply_url": None,
        "employer": {"name": "社", "normalized_name": "社", "registry_tags": []}, "locations": [], "remote": None,
        "employment_types": [], "hours_per_week": None, "salary": None, "valid_through": None, "status": "open",
        "signals": [], "supportiveness": 0.0, "language": "ja", "occupation": None, "duplicate_of": None,
        "description": "清掃",
    }


def _as_format_1(snapshot: Path) -> None:
    """What `ippo publish` wrote before formats were recorded: no format, no serving columns."""
    con = duckdb.connect(str(snapshot))
    try:
        con.execute("ALTER TABLE snapshot_meta DROP COLUMN format")
        con.execute("ALTER TABLE listings DROP COLUMN against")
        con.execute("ALTER TABLE listings DROP COLUMN occupation_interests")
    finally:
        con.close()


def test_an_old_format_snapshot_is_refused_with_what_to_do(tmp_path: Path) -> None:
    snapshot = write_snapshot([_row(0)], None, tmp_path / "home" / "serving", version="20261126T000001Z")
    _as_format_1(snapshot)
    with pytest.raises(SnapshotFormatError, match=r"20261126T000001Z\.duckdb has format 1.*ippo publish"):
        ServingIndex.from_snapshot(snapshot)
    manager = SnapshotManager(tmp_path / "home" / "serving", background=False)
    for _ in range(2):  # refused once, reported on every request
        with pytest.raises(NoSnapshotError, match=r"format 1.*run `ippo publish`"):
            manager.get()


def test_the_api_keeps_its_snapshot_when_an_old_format_one_appears(tmp_path: Path) -> None:
    serving = tmp_path / "home" / "serving"
    write_snapshot([_row(0)], None, serving, version="20261126T000001Z")
    manager = SnapshotManager(serving, background=False)
    assert manager.get().version == "20261126T000001Z"
    _as_format_1(write_snapshot([_row(0), _row(1)], None, serving, version="20261126T000002Z"))
    assert manager.get().version == "20261126T000001Z"
    assert manager.get().version == "20261126T000001Z"
