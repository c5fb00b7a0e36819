"""Ranking metrics on worked examples computed by hand from their definitions."""

from __future__ import annotations

import math

import pytest

from ranker.evaluate import dcg, gain_label, mean_reciprocal_rank, ndcg_at_k, recall_at_k, reciprocal_rank

# The Wikipedia "Discounted cumulative gain" example: six retrieved documents graded 3,2,3,0,1,2.
GRADES = [3, 2, 3, 0, 1, 2]


def test_dcg_of_the_wikipedia_example_by_hand() -> None:
    by_hand = 3 / 1 + 2 / math.log2(3) + 3 / 2 + 0 / math.log2(5) + 1 / math.log2(6) + 2 / math.log2(7)
    assert by_hand == pytest.approx(6.861127, abs=1e-6)
    assert dcg(GRADES, gain="linear") == pytest.approx(by_hand)


def test_ndcg_ideal_over_the_retrieved_documents() -> None:
    ranked = [f"d{i}" for i in range(1, 7)]
    relevance = dict(zip(ranked, GRADES, strict=True))
    ideal = 3 + 3 / math.log2(3) + 2 / 2 + 2 / math.log2(5) + 1 / math.log2(6) + 0
    assert ideal == pytest.approx(7.140995, abs=1e-6)
    assert ndcg_at_k(ranked, relevance, k=6, gain="linear") == pytest.approx(6.861127 / 7.140995, abs=1e-6)  # 0.9608


def test_ndcg_ideal_includes_relevant_documents_not_retrieved() -> None:
    # The article's second case: d7 (grade 3) and d8 (grade 2) exist but were not retrieved;
    # the ideal top 6 is then 3,3,3,2,2,2 and nDCG@6 = 6.861 / 8.740 = 0.785.
    ranked = [f"d{i}" for i in range(1, 7)]
    relevance = dict(zip(ranked, GRADES, strict=True)) | {"d7": 3, "d8": 2}
    assert ndcg_at_k(ranked, relevance, k=6, gain="linear") == pytest.approx(0.785002, abs=1e-6)


def test_exponential_gain_weighs_high_grades_more() -> None:
    by_hand = 7 + 3 / math.log2(3) + 7 / 2 + 0 + 1 / math.log2(6) + 3 / math.log2(7)
    assert dcg(GRADES, gain="exponential") == pytest.approx(by_hand)
    assert ndcg_at_k(["b", "a"], {"a": 2, "b": 1}, k=2, gain="exponential") == pytest.approx(
        (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3)))


def test_the_gain_is_named_and_checked() -> None:
    assert gain_label("exponential") == "exponential gain 2^rel-1"
    assert gain_label("linear") == "linear gain rel"
    with pytest.raises(ValueError, match="unknown nDCG gain 'exp'"):
        ndcg_at_k(["a"], {"a": 1}, gain="exp")  # type: ignore[arg-type]


def test_ndcg_edge_cases() -> None:
    assert ndcg_at_k(["a", "b"], {}, k=10, gain="linear") == 0.0
    assert ndcg_at_k([], {"a": 1}, k=10, gain="linear") == 0.0
    assert ndcg_at_k(["a"], {"a": 1}, k=10, gain="linear") == 1.0


def test_recall_and_mrr() -> None:
    assert recall_at_k(["a", "x", "b", "y"], {"a", "b", "c"}, k=2) == pytest.approx(1 / 3)
    assert recall_at_k(["a", "x", "b", "y"], {"a", "b", "c"}, k=4) == pytest.approx(2 / 3)
    assert recall_at_k(["a"], set(), k=1) == 0.0
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a"}) == 0.0
    assert mean_reciprocal_rank([["a"], ["x", "a"], ["x"]], [{"a"}, {"a"}, {"a"}]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="2 rankings but 1"):
        mean_reciprocal_rank([["a"], ["b"]], [{"a"}])
