"""The serving snapshot the API reads, reloaded when `ippo publish` swaps in a new one.

Checking costs one small file read per request. An unusable pointer (empty or corrupt after a
power loss) does not stop the API: ``pipeline.warehouse.pointer`` falls back to the newest complete
snapshot, and with none left requests get 503 with the reason while ``/health`` still answers.

A new version is loaded in a background thread while requests keep using the previous index,
so a publish never stalls the API (the first load of a large snapshot fits its lexical index;
later loads read the per-version cache). Only before the very first index exists does a request wait for the load.

A ``prepare`` callback runs on each new index in the loading thread before it replaces the
previous one (the API warms the scores of recently active stored profiles there, so their
first request on the new snapshot does not pay for a scan).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from pipeline.warehouse.pointer import resolve_snapshot
from ranker.serving_index import ServingIndex, SnapshotFormatError

log = logging.getLogger("ippo.api")


class NoSnapshotError(RuntimeError):
    pass


class SnapshotManager:
    def __init__(
        self, serving_dir: Path, background: bool = True, prepare: Callable[[ServingIndex], None] | None = None
    ) -> None:
        self.serving_dir = serving_dir
        self.background = background
        self.prepare = prepare
        self._index: ServingIndex | None = None
        self._path: Path | None = None
        self._loading: Path | None = None
        # A snapshot of a format this ranker does not read, and why: not retried until another
        # snapshot is published.
        self._refused: tuple[Path, str] | None = None
        self._lock = threading.Lock()

    def _load(self, path: Path) -> None:
        try:
            index = ServingIndex.from_snapshot(path)
        except SnapshotFormatError as exc:  # the message names the file and says to re-publish
            log.error("%s", exc)
            with self._lock:
                self._refused, self._loading = (path, str(exc)), None
            return
        except Exception as exc:  # a broken snapshot must not take the API down
            log.error("could not load snapshot %s: %s", path.name, type(exc).__name__)
            with self._lock:
                self._loading = None
            return
        if self.prepare is not None and self._index is not None:
            try:
                self.prepare(index)
            except Exception as exc:  # warming is an optimization: serve the new index regardless
                log.warning("could not prepare snapshot %s: %s", index.version, type(exc).__name__)
        with self._lock:
            self._index, self._path, self._loading = index, path, None
        log.info("serving snapshot %s (%d listings, loaded in %.1f s)", index.version, len(index), index.load_seconds)

    def _refusal(self, path: Path) -> str | None:
        refused = self._refused
        return refused[1] if refused is not None and refused[0] == path else None

    def get(self) -> ServingIndex:
        resolved = resolve_snapshot(self.serving_dir)
        path = resolved.path
        if path is None:
            if self._index is not None:
                return self._index
            if resolved.problem is not None:
                raise NoSnapshotError(f"no snapshot to serve: {resolved.problem} and no complete snapshot is "
                                      "left; run `ippo publish` (or `ippo refresh`)")
            raise NoSnapshotError("no published snapshot yet; run `ippo refresh` (or `ippo demo`) first")
        if path == self._path and self._index is not None:
            return self._index
        refusal = self._refusal(path)
        if refusal is not None:
            if self._index is not None:
                return self._index
            raise NoSnapshotError(refusal)
        with self._lock:
            current = self._index
            start = self._loading != path and path != self._path
            if start:
                self._loading = path
        if current is None:
            if start:
                self._load(path)
            else:  # another request is loading the first index: wait for it
                while self._index is None and self._loading is not None:
                    threading.Event().wait(0.05)
            if self._index is None:
                problem = self._refusal(path) or "the published snapshot could not be loaded; see the API log"
                raise NoSnapshotError(problem)
            return self._index
        if start:
            if self.background:
                threading.Thread(target=self._load, args=(path,), name="snapshot-load", daemon=True).start()
            else:
                self._load(path)
        return current
