"""Evaluation metrics of occupation mapping, on worked examples."""

from __future__ import annotations

import math

import pytest

from benchmarks.occupations_eval import dcg, ndcg_at_k, topk_hits


def test_dcg_worked_example() -> None:
    # gains 3, 2, 3, 0, 1, 2 with (2^rel - 1) / log2(rank + 1)
    expected = 7 / 1 + 3 / math.log2(3) + 7 / 2 + 0 + 1 / math.log2(6) + 3 / math.log2(7)
    assert dcg([3, 2, 3, 0, 1, 2]) == pytest.approx(expected)


def test_ndcg_perfect_partial_and_empty() -> None:
    relevance = {"a": 2.0, "b": 1.0}
    assert ndcg_at_k(["a", "b", "c"], relevance) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k(["b", "a"], relevance) == pytest.approx(swapped)
    assert ndcg_at_k(["x", "y"], relevance) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0
    # only the first k count
    assert ndcg_at_k(["x", "a"], relevance, k=1) == 0.0


def test_topk_hits() -> None:
    assert topk_hits(["a", "b", "c"], "c", 3)
    assert not topk_hits(["a", "b", "c"], "c", 2)
