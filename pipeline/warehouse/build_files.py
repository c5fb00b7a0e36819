"""Leftovers of interrupted publishes in ``serving/``, and how a running publish keeps its own.

A snapshot is built as ``<version>.duckdb.building`` (DuckDB may add ``.building.wal``) and the
pointer is swapped through a ``.current.json.<pid>.tmp`` file. A publish that is killed leaves
these behind for good. Which of them are stale is decided by a lock, not by age (a publish that
embeds many listings can run for hours):

- every snapshot writer holds a *shared* lock on ``serving/.publish.lock`` from before it creates
  its build file until its pointer is swapped or its build file removed
  (:func:`holding_build_lock`);
- pruning takes the *exclusive* lock without waiting. Holding it proves that no writer is running
  (the operating system releases a killed process's lock), so every leftover is stale. When a
  publish is running, pruning removes nothing and says so; the next publish prunes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LOCK_FILE = ".publish.lock"
LEFTOVER_PATTERNS = ("*.duckdb.building", "*.duckdb.building.wal", ".current.json.*.tmp")


@dataclass
class StaleBuilds:
    """What pruning removed (file names), or why it removed nothing."""

    removed: list[str] = field(default_factory=list)
    skipped: str | None = None

    def summary(self) -> str:
        if self.skipped is not None:
            return f"left build files alone: {self.skipped}"
        return f"removed {len(self.removed)} leftover build file(s) of interrupted publishes"


def _open_lock(serving_dir: Path) -> int:
    return os.open(serving_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)


@contextmanager
def holding_build_lock(serving_dir: Path) -> Iterator[None]:
    """Held (shared, so writers do not wait on each other) while a writer's build files exist."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    fd = _open_lock(serving_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def leftover_files(serving_dir: Path) -> list[Path]:
    """Build and pointer temp files in the folder, whether stale or still in use."""
    return sorted({path for pattern in LEFTOVER_PATTERNS for path in serving_dir.glob(pattern) if path.is_file()})


def prune_stale_builds(serving_dir: Path) -> StaleBuilds:
    """Remove the build files of publishes that are no longer running; never those of a running one."""
    if not serving_dir.is_dir():
        return StaleBuilds()
    fd = _open_lock(serving_dir)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return StaleBuilds(skipped="another publish is running in " + str(serving_dir))
        report = StaleBuilds()
        for path in leftover_files(serving_dir):
            path.unlink(missing_ok=True)
            report.removed.append(path.name)
        return report
    finally:
        os.close(fd)
