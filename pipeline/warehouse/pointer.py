"""Which serving snapshot is current: ``serving/current.json``, read by every reader.

Readers (the API, the ranker's commands, notebooks) import only this module, never the snapshot
writer: reading the pointer needs nothing of the pipeline's tagger, occupation tables or warehouse.

The writer swaps the pointer durably: a temporary file is written and fsynced, renamed over
``current.json`` and the folder is fsynced, so a reader sees the old snapshot or the new one and a
power loss leaves one of the two on disk. Should the pointer still be unusable (missing while
snapshots exist, empty, not JSON, or naming a file that is gone), readers fall back to the newest
complete snapshot in the folder, ``<version>.duckdb`` (a file gets that name only once it is
complete; ``*.duckdb.building`` files are never taken), and a warning is logged once per problem.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

POINTER = "current.json"
SNAPSHOT_SUFFIX = ".duckdb"

log = logging.getLogger("ippo.serving")

# The last pointer problem warned about, per serving folder: a reader asks on every request, the
# log says it once (and again when the problem changes or after the pointer was good again).
_warned: dict[Path, str] = {}
_warned_lock = threading.Lock()


@dataclass(frozen=True)
class Resolved:
    """The snapshot to read (None: none usable) and, when the pointer was not usable, why."""

    path: Path | None
    problem: str | None = None


def _pointed_file(serving_dir: Path) -> tuple[Path | None, str | None]:
    """(the snapshot current.json names, None) or (None, what is wrong with the pointer)."""
    pointer = serving_dir / POINTER
    try:
        text = pointer.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"{pointer} is missing"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{pointer} cannot be read ({type(exc).__name__})"
    if not text.strip():
        return None, f"{pointer} is empty"
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None, f"{pointer} is not valid JSON"
    name = data.get("file") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name or Path(name).name != name:
        return None, f"{pointer} does not name a snapshot file"
    path = serving_dir / name
    if not path.is_file():
        return None, f"{pointer} names {name}, which does not exist"
    return path, None


def complete_snapshots(serving_dir: Path) -> list[Path]:
    """The complete snapshot files of the folder, newest first (versions sort by time)."""
    try:
        candidates = [p for p in serving_dir.glob(f"*{SNAPSHOT_SUFFIX}") if p.is_file()]
    except OSError:
        return []
    return sorted(candidates, key=lambda p: p.name, reverse=True)


def resolve_snapshot(serving_dir: Path) -> Resolved:
    """The snapshot readers should open now, falling back to the newest complete one when the
    pointer is unusable; ``problem`` says what was wrong with the pointer."""
    path, problem = _pointed_file(serving_dir)
    if path is not None:
        _forget_warning(serving_dir)
        return Resolved(path)
    snapshots = complete_snapshots(serving_dir)
    if not snapshots:
        if not (serving_dir / POINTER).exists():
            return Resolved(None)  # before the first publish: nothing is wrong
        _warn_once(serving_dir, f"{problem}, and {serving_dir} holds no complete snapshot")
        return Resolved(None, problem)
    _warn_once(serving_dir, f"{problem}; reading the newest complete snapshot, {snapshots[0].name}, instead "
                            "(`ippo publish` writes a new pointer)")
    return Resolved(snapshots[0], problem)


def current_snapshot(serving_dir: Path) -> Path | None:
    """The snapshot readers should open now, or None before the first publish (or when no
    complete snapshot is left)."""
    return resolve_snapshot(serving_dir).path


def _warn_once(serving_dir: Path, message: str) -> None:
    with _warned_lock:
        if _warned.get(serving_dir) == message:
            return
        _warned[serving_dir] = message
    log.warning("%s", message)


def _forget_warning(serving_dir: Path) -> None:
    if serving_dir in _warned:
        with _warned_lock:
            _warned.pop(serving_dir, None)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def point_to(serving_dir: Path, snapshot: Path, version: str) -> None:
    """Swap ``current.json`` to the snapshot: temp file, fsync, atomic rename, fsync the folder."""
    tmp = serving_dir / f".{POINTER}.{os.getpid()}.tmp"
    data = json.dumps({"file": snapshot.name, "version": version}).encode("utf-8")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, serving_dir / POINTER)
    _fsync_dir(serving_dir)
