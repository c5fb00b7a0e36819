"""Evaluation metrics of occupation mapping, on worked examples: the resume figures use
ranker.evaluate's nDCG with the exponential gain they were always published with."""

from __future__ import annotations

import math

import pytest

from benchmarks.occupations_eval import RESUME_GAIN, topk_hits
from ranker.evaluate import dcg, ndcg_at_k


def test_resume_figures_use_the_exponential_gain() -> None:
    # gains 3, 2, 3, 0, 1, 2 with (2^rel - 1) / log2(rank + 1)
    expected = 7 / 1 + 3 / math.log2(3) + 7 / 2 + 0 + 1 / math.log2(6) + 3 / math.log2(7)
    assert RESUME_GAIN == "exponential"
    assert dcg([3, 2, 3, 0, 1, 2], gain=RESUME_GAIN) == pytest.approx(expected)


def test_ndcg_perfect_partial_and_empty() -> None:
    relevance = {"a": 2.0, "b": 1.0}
    assert ndcg_at_k(["a", "b", "c"], relevance, gain=RESUME_GAIN) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k(["b", "a"], relevance, gain=RESUME_GAIN) == pytest.approx(swapped)
    assert ndcg_at_k(["x", "y"], relevance, gain=RESUME_GAIN) == 0.0
    assert ndcg_at_k(["a"], {}, gain=RESUME_GAIN) == 0.0
    # only the first k count
    assert ndcg_at_k(["x", "a"], relevance, k=1, gain=RESUME_GAIN) == 0.0


def test_topk_hits() -> None:
    assert topk_hits(["a", "b", "c"], "c", 3)
    assert not topk_hits(["a", "b", "c"], "c", 2)
