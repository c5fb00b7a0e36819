"""A file cache of the sentence vectors of listing titles, across loads.

Encoding a title with all-MiniLM-L6-v2 costs ~6 ms of one core (164–252 titles/s on the 2-core
machine), which made occupations most of a large load. Titles recur from load to load (the same
roles are posted again, and a normalizer version change re-normalizes every listing), and a
title's vector depends only on the model and the text, so it is kept.

Only listing titles go here — public text from job pages. Profile or resume text is never
cached (it may reveal health or disability): the cache is used only inside ``active(...)``,
which only the loader's occupation step opens (in the loader's process, which serves no
profiles), and only for texts of one window (titles; a resume is many windows).

Storage: a DuckDB file under $IPPO_HOME/cache/occupations/, vectors as float32 bytes, keyed by
(model fingerprint, text). The fingerprint covers the model's name and its files' names and
sizes, so another model or a changed model never reads the old vectors. When the file cannot be
opened (another process holds it, a broken file), the step runs without the cache and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import numpy as np

log = logging.getLogger(__name__)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS title_vectors ("
    "model VARCHAR NOT NULL, text VARCHAR NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text))"
)


# The cache's file name inside the occupation cache folder ($IPPO_HOME/cache/occupations/).
FILE_NAME = "title_vectors.duckdb"


def model_fingerprint(name: str) -> str:
    """The model's name plus the names and sizes of its files (when it is a local folder)."""
    from pipeline.embedding import resolve_model_path

    parts = [name]
    with contextlib.suppress(Exception):
        folder = Path(resolve_model_path(name))
        if folder.is_dir():
            parts += [f"{p.relative_to(folder).as_posix()}:{p.stat().st_size}"
                      for p in sorted(folder.rglob("*")) if p.is_file()]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16] + ":" + name


class TitleVectors:
    """Cached vectors of one model: looked up and added by encode() while active (thread-safe)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        self.name = name  # the model name encode() is called with
        self._con = con
        self._model = model_fingerprint(name)
        self._lock = threading.Lock()
        self._new: dict[str, np.ndarray] = {}
        self.hits = 0

    def get(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        wanted = list(dict.fromkeys(texts))
        with self._lock:
            found = {t: self._new[t] for t in wanted if t in self._new}
            rows = self._con.execute(
                "SELECT text, vector FROM title_vectors WHERE model = ? AND text IN (SELECT unnest(?::VARCHAR[]))",
                [self._model, wanted],
            ).fetchall()
        for text, blob in rows:
            found[text] = np.frombuffer(blob, dtype=np.float32)
        out = [found.get(t) for t in texts]
        self.hits += sum(1 for v in out if v is not None)
        return out

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        with self._lock:
            for text, vector in zip(texts, vectors, strict=True):
                self._new[text] = np.asarray(vector, dtype=np.float32)

    def flush(self) -> int:
        with self._lock:
            if not self._new:
                return 0
            texts = list(self._new)
            blobs = [self._new[t].tobytes() for t in texts]
            self._con.execute(
                "INSERT INTO title_vectors SELECT ?, t, v FROM (SELECT unnest(?::VARCHAR[]) AS t, "
                "unnest(?::BLOB[]) AS v) ON CONFLICT DO NOTHING",
                [self._model, texts, blobs],
            )
            self._new.clear()
            return len(texts)


_active: TitleVectors | None = None
_active_lock = threading.Lock()


def current() -> TitleVectors | None:
    return _active


@contextlib.contextmanager
def active(name: str, path: Path) -> Iterator[TitleVectors | None]:
    """Use (and extend) the title-vector cache of model ``name``, kept in ``path``, for the duration of the block."""
    global _active
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        con.execute(_SCHEMA)
    except (duckdb.Error, OSError) as exc:
        log.warning("occupation title vectors: cache %s not usable (%s); computing every title", path, exc)
        yield None
        return
    cache = TitleVectors(con, name)
    with _active_lock:
        _active = cache
    try:
        yield cache
        try:
            cache.flush()
        except duckdb.Error as exc:
            log.warning("occupation title vectors: could not save new vectors to %s (%s)", path, exc)
    finally:
        with _active_lock:
            _active = None
        con.close()
