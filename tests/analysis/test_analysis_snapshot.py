"""Which snapshot the notebooks read: a given path, $IPPO_SNAPSHOT, or the current one of IPPO_HOME."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ippo.analysis import SnapshotNotFoundError, open_snapshot, snapshot_path, snapshot_summary
from ippo.analysis.snapshot import SNAPSHOT_ENV


def test_the_current_snapshot_of_ippo_home(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_HOME", str(published))
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    path = snapshot_path()
    assert path.parent == published / "serving" and path.suffix == ".duckdb"
    con = open_snapshot()
    summary = snapshot_summary(con).iloc[0]
    assert (summary["listings"], summary["open"], summary["closed"]) == (6, 4, 2)
    assert bool(summary["has_history"]) is True
    with pytest.raises(duckdb.Error):  # read-only: a notebook can never write the snapshot
        con.execute("DELETE FROM listings")
    con.close()


def test_the_environment_and_the_parameter_choose(small_snapshot: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv(SNAPSHOT_ENV, str(small_snapshot))
    assert snapshot_path() == small_snapshot
    assert snapshot_path("") == small_snapshot  # the notebooks' empty parameter
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert snapshot_path(str(other)) == other  # the parameter wins over the environment


def test_a_missing_snapshot_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "gone.duckdb"))
    with pytest.raises(SnapshotNotFoundError, match=r"gone\.duckdb does not exist"):
        snapshot_path()
    monkeypatch.delenv(SNAPSHOT_ENV)
    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "empty-home"))
    with pytest.raises(SnapshotNotFoundError, match="run `ippo demo` or `ippo refresh` first"):
        snapshot_path()
