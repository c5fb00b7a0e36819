"""A stand-in embedder for API tests that never rank: the app starts without loading a model."""

from __future__ import annotations

import numpy as np


class NoModelEmbedder:
    """Answers the start-up warm-up encode with zero vectors; nothing is ranked with it."""

    name = "no-model"
    dimension = 4

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.zeros((len(texts), self.dimension), dtype=np.float32)
