"""Dense (sentence-embedding) view of the O*NET occupations, English only.

Lexical matching misses synonyms ("caregiver" vs "home health aide"); a small bi-encoder
catches them. The occupation vectors are computed once at table-build time and shipped
(float16, ~1.5 MB), so the first query only pays for loading the model. For another model
(the setting embedding_model) the vectors are computed once and cached in the folder the caller
gives (the command line gives $IPPO_HOME/cache/occupations/).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ippo.config import DEFAULT_EMBEDDING_MODEL, is_default_embedding_model
from pipeline.embedding import Embedder, ModelNotAvailableError
from pipeline.occupations import title_vectors
from pipeline.occupations.tables import DATA_DIR, ONET_FILE, load_table

SHIPPED_FILE = "onet_embeddings.npz"
# all-MiniLM-L6-v2 reads at most 256 word pieces; a resume is cut into windows of about
# that size and the window vectors are averaged, so the whole text counts, not its first page.
_WINDOW_WORDS = 160
_MAX_WINDOWS = 12
_ALT_TITLES_IN_VIEW = 40
# Listing titles are short: large batches (sorted by length inside sentence-transformers) cut
# the per-batch overhead; one torch thread, because the lexical views use the other core and
# two threads that wait for each other on a busy 2-core machine were measured 3x slower.
_BATCH = 256

log = logging.getLogger(__name__)


class EmbeddingUnavailableError(RuntimeError):
    """No sentence-embedding model can be loaded on this machine."""


Encoder = Callable[[list[str]], np.ndarray]


@cache
def load_model(name: str = DEFAULT_EMBEDDING_MODEL, worker: int = 0) -> Encoder:
    """An encoder (texts -> unit vectors) for the model, loaded once per process and worker,
    never from the network, through the project's one model loader (pipeline.embedding).

    Threads that encode at the same time use different workers: each has its own model copy
    and tokenizer (a fast tokenizer is not safe to call from two threads at once)."""
    embedder = Embedder(name, batch_size=_BATCH, threads=1)
    lock = threading.Lock()

    def encode(texts: list[str]) -> np.ndarray:
        try:
            with lock:  # one call at a time per copy, whichever thread calls
                return embedder.encode(texts)
        except ModelNotAvailableError as error:
            raise EmbeddingUnavailableError(str(error)) from error

    return encode


def _windows(text: str) -> list[str]:
    words = text.split()
    if len(words) <= _WINDOW_WORDS:
        return [text.strip() or "."]
    step = max(_WINDOW_WORDS, len(words) // _MAX_WINDOWS + 1)
    return [" ".join(words[i : i + _WINDOW_WORDS]) for i in range(0, len(words), step)][:_MAX_WINDOWS]


def encode(texts: Sequence[str], name: str = DEFAULT_EMBEDDING_MODEL, worker: int = 0) -> np.ndarray:
    """Unit vectors for texts of any length (long texts: mean of window vectors).

    While the loader's title-vector cache is active (pipeline.occupations.title_vectors),
    short texts of its model are taken from it and the ones computed are added to it.
    """
    cache = title_vectors.current()
    if cache is not None and cache.name == name and texts and all(len(_windows(t)) == 1 for t in texts):
        found = cache.get(texts)
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            computed = _encode([texts[i] for i in missing], name, worker)
            cache.add([texts[i] for i in missing], computed)
            for i, vector in zip(missing, computed, strict=True):
                found[i] = vector
        return np.vstack(found).astype(np.float32, copy=False)  # type: ignore[arg-type]
    return _encode(texts, name, worker)


def _encode(texts: Sequence[str], name: str, worker: int) -> np.ndarray:
    encoder = load_model(name, worker)
    pieces: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        for window in _windows(text):
            pieces.append(window)
            owners.append(index)
    vectors = np.asarray(encoder(pieces), dtype=np.float32)
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owners), vectors)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def occupation_views(records: Sequence[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Two texts per occupation: what it is (title + description) and what it is called."""
    texts: list[str] = []
    owners: list[int] = []
    for index, record in enumerate(records):
        texts.append(f"{record['title']}. {record['description']}")
        titles = [record["title"], *record.get("alt_titles", [])[:_ALT_TITLES_IN_VIEW]]
        texts.append(", ".join(titles))
        owners.extend([index, index])
    return texts, owners


def _table_digest() -> str:
    return hashlib.sha256((DATA_DIR / ONET_FILE).read_bytes()).hexdigest()[:16]


def _cache_path(cache_dir: Path, name: str, digest: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    return cache_dir / f"onet-{slug}-{digest}.npz"


def _compute(name: str, records: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    texts, owners = occupation_views(records)
    return encode(texts, name).astype(np.float16), np.asarray(owners, dtype=np.int32)


def write_shipped_embeddings() -> Path:
    """Compute the default model's occupation vectors into the shipped data folder."""
    vectors, owners = _compute(DEFAULT_EMBEDDING_MODEL, load_table("onet"))
    path = DATA_DIR / SHIPPED_FILE
    np.savez_compressed(
        path, vectors=vectors, owners=owners, model=np.array(DEFAULT_EMBEDDING_MODEL), table=np.array(_table_digest())
    )
    return path


@cache
def occupation_vectors(
    name: str = DEFAULT_EMBEDDING_MODEL, cache_dir: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(view vectors float32, owning occupation index per view) for the O*NET table.

    The default model's vectors ship with the tables; another model's are computed once and
    kept in cache_dir (without one, computed in each process)."""
    digest = _table_digest()
    default = is_default_embedding_model(name)
    candidates = [DATA_DIR / SHIPPED_FILE] if default else []
    if cache_dir is not None:
        candidates.append(_cache_path(cache_dir, name, digest))
    for path in candidates:
        if path.is_file():
            with np.load(path) as data:
                if str(data["table"]) == digest and is_default_embedding_model(str(data["model"])) == default:
                    return data["vectors"].astype(np.float32), data["owners"]
    log.info("computing occupation vectors for %s%s", name, " (cached afterwards)" if cache_dir else "")
    vectors, owners = _compute(name, load_table("onet"))
    if cache_dir is not None:
        path = _cache_path(cache_dir, name, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, vectors=vectors, owners=owners, model=np.array(name), table=np.array(digest))
    return vectors.astype(np.float32), owners


def dense_scores(
    queries: Sequence[str], name: str = DEFAULT_EMBEDDING_MODEL, worker: int = 0, cache_dir: Path | None = None
) -> np.ndarray:
    """Best view similarity per occupation (queries x occupations), cosine in [-1, 1]."""
    vectors, owners = occupation_vectors(name, cache_dir)
    return pool_views(encode(queries, name, worker) @ vectors.T, owners)


def pool_views(sims: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Max over the views of each occupation (views are grouped by owner)."""
    n = int(owners.max()) + 1
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    if len(starts) != n:
        raise ValueError("occupation vectors are not grouped by occupation")
    return np.maximum.reduceat(sims, starts, axis=1)
