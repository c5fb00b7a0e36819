"""Reciprocal rank fusion: combine rankings without calibrating their scores to each other."""

from __future__ import annotations

import numpy as np

RRF_K = 60


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of every item (1 = highest score); ties keep their input order."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def reciprocal_rank_fusion(score_lists: list[np.ndarray], k: int = RRF_K) -> np.ndarray:
    """Sum of 1 / (k + rank) over the rankings, scaled so the best possible item scores 1."""
    if not score_lists or len(score_lists[0]) == 0:
        return np.zeros(0, dtype=np.float32)
    fused = np.zeros(len(score_lists[0]), dtype=np.float64)
    for scores in score_lists:
        fused += 1.0 / (k + ranks(scores))
    return (fused / (len(score_lists) / (k + 1))).astype(np.float32)
