"""Reciprocal rank fusion: combine rankings without calibrating their scores to each other.

Exact fusion ranks every listing of the snapshot: two full sorts of 100,000 scores, ~10 ms of
a first request. ``FusedRelevance`` gets the same numbers for less. Each ranking is sorted
only down to a depth (``np.argpartition``, then a sort of that head); every listing below it
gets the pair of bounds its fused relevance must lie between (its rank lies between the head
and the bottom of the list). The ranker asks for the exact value of just the listings whose
bounds could reach the page (``resolve``): the rank of one listing is 1 + the number of
scores above it, a binary search in the sorted scores. Resolved values are computed with the
same arithmetic as exact fusion, so they are bit for bit the same, and a listing left
unresolved is one whose upper bound is below what the page needs. Pages are identical to
exact fusion's; tests/ranker/test_fusion_bounds.py checks it on a generated index.
"""

from __future__ import annotations

import threading

import numpy as np

RRF_K = 60


def ranks(scores: np.ndarray, depth: int | None = None) -> np.ndarray:
    """1-based competition rank of every item (1 = highest score; tied items share the best
    rank of their group, so the order of ties never matters).

    Listings that share no n-gram with the query all score 0 lexically; when scores are
    non-negative only the positive ones are sorted, and every zero gets the next rank.
    With ``depth``, only the items scoring at least the depth-th best score are ranked
    exactly; the others share the rank after them (see the module docstring)."""
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
    head = None
    if depth is not None and 0 < depth < len(values):
        threshold = values[np.argpartition(-values, depth - 1)[:depth]].min()
        head = np.flatnonzero(values >= threshold)  # every item tied with the last one too
        if subset is None:
            out.fill(len(head) + 1)
        else:
            out[subset] = len(head) + 1
        values = values[head]
    order = np.argsort(-values)
    ordered = values[order]
    starts = np.empty(len(ordered), dtype=bool)
    if len(ordered):
        starts[0] = True
        starts[1:] = ordered[1:] != ordered[:-1]
    group_rank = np.maximum.accumulate(np.where(starts, np.arange(len(ordered)), 0)) + 1
    positions = order if head is None else head[order]
    if subset is not None:
        positions = subset[positions]
    out[positions] = group_rank
    return out


def reciprocal_rank_fusion(
    score_lists: list[np.ndarray], k: int = RRF_K, depth: int | None = None
) -> np.ndarray:
    """Sum of 1 / (k + rank) over the rankings, scaled so the best possible item scores 1.
    ``depth``: rank each list exactly only that deep (None: exact over every item)."""
    if not score_lists or len(score_lists[0]) == 0:
        return np.zeros(0, dtype=np.float32)
    fused = np.zeros(len(score_lists[0]), dtype=np.float64)
    for scores in score_lists:
        fused += 1.0 / (k + ranks(scores, depth))
    return (fused / (len(score_lists) / (k + 1))).astype(np.float32)


def _fuse(rank_lists: list[np.ndarray], k: int) -> np.ndarray:
    """The fusion arithmetic of ``reciprocal_rank_fusion``, shared so results match bit for bit."""
    fused = np.zeros(len(rank_lists[0]), dtype=np.float64)
    for r in rank_lists:
        fused += 1.0 / (k + r)
    return (fused / (len(rank_lists) / (k + 1))).astype(np.float32)


def rank_bounds(scores: np.ndarray, depth: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(best, worst) possible competition rank of every item when only the head of the
    ranking is sorted; equal for the items ranked exactly (the head, and zero lexical
    scores, which all share the rank after the positive ones)."""
    best = ranks(scores, depth)
    worst = best.copy()
    if depth is None or len(scores) == 0:
        return best, worst
    ranked = scores > 0 if scores.min() >= 0 else np.ones(len(scores), dtype=bool)
    bottom = int(ranked.sum())
    if 0 < depth < bottom:
        # Items below the head share one rank, above every head rank; each of them may
        # really rank anywhere down to the last ranked item.
        tail_rank = best[ranked].max()
        worst[ranked & (best == tail_rank)] = bottom
    return best, worst


class FusedRelevance:
    """Reciprocal rank fusion of score lists, exact where asked (see the module docstring).

    ``lo`` and ``hi`` bound every item's fused value; for a resolved item both hold the exact
    value. ``depth=None`` resolves every item at once (exact fusion)."""

    def __init__(self, score_lists: list[np.ndarray], k: int = RRF_K, depth: int | None = None) -> None:
        self.score_lists = score_lists
        self.k = k
        n = len(score_lists[0]) if score_lists else 0
        if n == 0 or depth is None or depth >= n:
            exact = reciprocal_rank_fusion(score_lists, k) if n else np.zeros(0, dtype=np.float32)
            self.lo, self.hi = exact, exact
            self.resolved = np.ones(n, dtype=bool)
        else:
            bounds = [rank_bounds(scores, depth) for scores in score_lists]
            self.lo = _fuse([worst for _, worst in bounds], k)
            self.hi = _fuse([best for best, _ in bounds], k)
            self.resolved = self.lo == self.hi
            self.hi = np.where(self.resolved, self.lo, self.hi)
        self._sorted: list[np.ndarray] | None = None
        # Cached per stored profile and shared by requests: resolving writes under a lock.
        self._lock = threading.Lock()

    @property
    def complete(self) -> bool:
        return bool(self.resolved.all())

    def resolve(self, positions: np.ndarray) -> None:
        """Make lo and hi exact at these positions (idempotent; values never change once exact)."""
        positions = np.asarray(positions, dtype=np.intp)
        with self._lock:
            self._resolve(positions[~self.resolved[positions]])

    def _resolve(self, todo: np.ndarray) -> None:
        if len(todo) == 0:
            return
        if self._sorted is None:
            self._sorted = [np.sort(scores) for scores in self.score_lists]
        rank_lists = []
        for scores, ordered in zip(self.score_lists, self._sorted, strict=True):
            above = len(ordered) - np.searchsorted(ordered, scores[todo], side="right")
            rank_lists.append(above.astype(np.int64) + 1)
        exact = _fuse(rank_lists, self.k)
        self.lo[todo] = exact
        self.hi[todo] = exact
        self.resolved[todo] = True

    def exact(self) -> np.ndarray:
        """Every item's exact fused value (resolves whatever is left)."""
        self.resolve(np.flatnonzero(~self.resolved))
        return self.lo
