"""Query embeddings kept by their exact text, for the API's ad hoc profiles.

Embedding a profile's query text is most of the work of ranking an English profile (~10 ms of a
~15 ms request on one core, docs/benchmarks.md); a client that asks again for the same profile
(another page size, a retry, a page reloaded) gets the vector it had. ``QueryVectorCache`` wraps
an encoder and keeps the vectors of the last ``max_entries`` single texts it encoded, least
recently used out first (1,024 vectors of 384 floats: ~1.6 MB). The vector is the one the
encoder gave for that text alone, so a page is the same with or without the cache.

The texts themselves are not kept: a profile may hold health or disability information, and
the route promises it is used for that request only. Entries are found by a keyed BLAKE2b digest
of the text, with a random key made per process, so the cache holds digests and vectors only.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from typing import Protocol

import numpy as np

DEFAULT_MAX_ENTRIES = 1024


class TextEncoder(Protocol):
    """What ranks need of an embedder: one L2-normalized row per text."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class QueryVectorCache:
    """An encoder that remembers the vectors of the single texts it encoded (bounded, LRU)."""

    def __init__(self, encoder: TextEncoder, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be 1 or more, not {max_entries}")
        self.encoder = encoder
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def _digest(self, text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), key=self._key, digest_size=16).digest()

    def encode(self, texts: list[str]) -> np.ndarray:
        """The encoder's vectors for ``texts``; one text is looked up first and kept after."""
        if len(texts) != 1:
            return self.encoder.encode(texts)
        digest = self._digest(texts[0])
        with self._lock:
            vector = self._vectors.get(digest)
            if vector is not None:
                self._vectors.move_to_end(digest)
                self.hits += 1
                return vector[np.newaxis]
            self.misses += 1
        vector = np.array(self.encoder.encode(texts)[0])  # a copy of its own, read-only below
        vector.setflags(write=False)
        with self._lock:
            self._vectors[digest] = vector
            self._vectors.move_to_end(digest)
            while len(self._vectors) > self.max_entries:
                self._vectors.popitem(last=False)
        return vector[np.newaxis]
