"""serving/current.json after a power loss: an unusable pointer falls back to the newest complete
snapshot with a warning, never to a file still being built, and never crashes a reader."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from pipeline.warehouse.pointer import POINTER, current_snapshot, point_to, resolve_snapshot


def _snapshot(serving: Path, version: str) -> Path:
    path = serving / f"{version}.duckdb"
    path.write_bytes(b"complete")
    return path


@pytest.fixture
def serving(tmp_path: Path) -> Path:
    folder = tmp_path / "serving"
    folder.mkdir()
    return folder


def test_the_pointer_names_the_current_snapshot(serving: Path) -> None:
    older, newer = _snapshot(serving, "20261126T000001Z"), _snapshot(serving, "20261126T000002Z")
    point_to(serving, older, "20261126T000001Z")
    assert current_snapshot(serving) == older != newer
    assert json.loads((serving / POINTER).read_text(encoding="utf-8"))["file"] == older.name
    assert [p.name for p in serving.iterdir() if p.name.endswith(".tmp")] == []


def test_nothing_published_is_none_without_a_warning(serving: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert resolve_snapshot(serving).path is None and resolve_snapshot(serving).problem is None
    assert current_snapshot(serving / "not-made-yet") is None
    assert caplog.records == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"\x00\x00\x00\x00", "not valid JSON"),
        (b'{"file": "2026', "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b'["20261126T000001Z.duckdb"]', "does not name a snapshot file"),
        (b'{"file": "../../etc/passwd"}', "does not name a snapshot file"),
        (b'{"file": "20261126T000009Z.duckdb"}', "20261126T000009Z.duckdb, which does not exist"),
        (b"\xff\xfe{", "cannot be read"),
        (None, "is missing"),
    ],
)
def test_an_unusable_pointer_falls_back_to_the_newest_complete_snapshot(
    serving: Path, caplog: pytest.LogCaptureFixture, content: bytes | None, problem: str
) -> None:
    _snapshot(serving, "20261126T000001Z")
    newest = _snapshot(serving, "20261126T000002Z")
    (serving / "20261126T000003Z.duckdb.building").write_bytes(b"half")
    if content is not None:
        (serving / POINTER).write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="ippo.serving"):
        resolved = resolve_snapshot(serving)
        assert current_snapshot(serving) == newest  # asked again: the same answer, warned once
    assert resolved.path == newest and problem in (resolved.problem or "")
    [warning] = [r.getMessage() for r in caplog.records]
    assert problem in warning and newest.name in warning


def test_no_complete_snapshot_left_is_none_with_the_reason(serving: Path, caplog: pytest.LogCaptureFixture) -> None:
    (serving / POINTER).write_bytes(b"")
    (serving / "20261126T000003Z.duckdb.building").write_bytes(b"half")
    with caplog.at_level(logging.WARNING, logger="ippo.serving"):
        resolved = resolve_snapshot(serving)
    assert resolved.path is None and "is empty" in (resolved.problem or "")
    assert any("no complete snapshot" in r.getMessage() for r in caplog.records)


def test_a_repaired_pointer_is_followed_again(serving: Path) -> None:
    older, newer = _snapshot(serving, "20261126T000001Z"), _snapshot(serving, "20261126T000002Z")
    (serving / POINTER).write_bytes(b"{")
    assert current_snapshot(serving) == newer
    point_to(serving, older, "20261126T000001Z")
    assert resolve_snapshot(serving).path == older and resolve_snapshot(serving).problem is None


def test_the_pointer_is_written_durably(serving: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = _snapshot(serving, "20261126T000001Z")
    synced: list[str] = []
    real_fsync = os.fsync

    def record_fsync(fd: int) -> None:
        synced.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    replaced: list[str] = []
    real_replace = os.replace

    def record_replace(src: str | Path, dst: str | Path) -> None:
        replaced.append(f"{Path(src).name} -> {Path(dst).name} after {len(synced)} fsync")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", record_fsync)
    monkeypatch.setattr(os, "replace", record_replace)
    point_to(serving, snapshot, "20261126T000001Z")
    # The temporary file is synced before the rename, the folder after it.
    assert len(synced) == 2 and synced[0].endswith(".tmp") and synced[1] == "dir"
    [rename] = replaced
    assert rename.endswith(f"-> {POINTER} after 1 fsync")
