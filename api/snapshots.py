"""The serving snapshot the API reads, reloaded when `ippo publish` swaps in a new one.

Checking costs one small file read per request; loading happens once per new version, under
a lock, while requests keep using the previous index until the new one is ready.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pipeline.publish import current_snapshot
from ranker.serving_index import ServingIndex


class NoSnapshotError(RuntimeError):
    pass


class SnapshotManager:
    def __init__(self, serving_dir: Path) -> None:
        self.serving_dir = serving_dir
        self._index: ServingIndex | None = None
        self._path: Path | None = None
        self._lock = threading.Lock()

    def get(self) -> ServingIndex:
        path = current_snapshot(self.serving_dir)
        if path is None:
            if self._index is not None:
                return self._index
            raise NoSnapshotError("no published snapshot yet; run `ippo refresh` (or `ippo demo`) first")
        if path != self._path or self._index is None:
            with self._lock:
                if path != self._path or self._index is None:
                    self._index = ServingIndex.from_snapshot(path)
                    self._path = path
        return self._index
