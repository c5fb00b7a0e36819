"""Reciprocal rank fusion: combine rankings without calibrating their scores to each other."""

from __future__ import annotations

import numpy as np

RRF_K = 60


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based competition rank of every item (1 = highest score; tied items share the best
    rank of their group, so the order of ties never matters).

    Listings that share no n-gram with the query all score 0 lexically; when scores are
    non-negative only the positive ones are sorted, and every zero gets the next rank."""
    n = len(scores)
    out = np.empty(n, dtype=np.int64)
    if n == 0:
        return out
    subset = None
    if scores.min() >= 0:
        subset = np.flatnonzero(scores > 0)
        out.fill(len(subset) + 1)
        values = scores[subset]
    else:
        values = scores
    order = np.argsort(-values)
    ordered = values[order]
    starts = np.empty(len(ordered), dtype=bool)
    if len(ordered):
        starts[0] = True
        starts[1:] = ordered[1:] != ordered[:-1]
    group_rank = np.maximum.accumulate(np.where(starts, np.arange(len(ordered)), 0)) + 1
    positions = order if subset is None else subset[order]
    out[positions] = group_rank
    return out


def reciprocal_rank_fusion(score_lists: list[np.ndarray], k: int = RRF_K) -> np.ndarray:
    """Sum of 1 / (k + rank) over the rankings, scaled so the best possible item scores 1."""
    if not score_lists or len(score_lists[0]) == 0:
        return np.zeros(0, dtype=np.float32)
    fused = np.zeros(len(score_lists[0]), dtype=np.float64)
    for scores in score_lists:
        fused += 1.0 / (k + ranks(scores))
    return (fused / (len(score_lists) / (k + 1))).astype(np.float32)
