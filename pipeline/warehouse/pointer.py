"""Which serving snapshot is current: ``serving/current.json``, read by every reader.

Readers (the API, the ranker's commands, notebooks) import only this module, never the snapshot
writer: reading the pointer needs nothing of the pipeline's tagger, occupation tables or warehouse.
The writer swaps the pointer with one atomic rename, so a reader sees the old snapshot or the new one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

POINTER = "current.json"


def current_snapshot(serving_dir: Path) -> Path | None:
    """The snapshot readers should open now, or None before the first publish."""
    pointer = serving_dir / POINTER
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    path = serving_dir / data["file"]
    return path if path.exists() else None


def point_to(serving_dir: Path, snapshot: Path, version: str) -> None:
    """Swap ``current.json`` to the snapshot in one atomic rename."""
    tmp = serving_dir / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"file": snapshot.name, "version": version}), encoding="utf-8")
    os.replace(tmp, serving_dir / POINTER)
