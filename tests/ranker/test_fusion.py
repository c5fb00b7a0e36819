from __future__ import annotations

import numpy as np

from ranker.fusion import ranks, reciprocal_rank_fusion


def test_ranks_are_one_based_and_ties_share_the_best_rank() -> None:
    assert ranks(np.array([0.1, 0.9, 0.5, 0.9])).tolist() == [4, 1, 3, 1]
    assert ranks(np.array([0.0, 0.3, 0.0, 0.7, 0.3])).tolist() == [4, 2, 4, 1, 2]
    assert ranks(np.array([-0.2, 0.4, 0.0, -0.2])).tolist() == [3, 1, 2, 3]
    assert ranks(np.zeros(0)).tolist() == []


def test_ranks_agree_with_a_full_sort_on_random_scores() -> None:
    scores = np.random.default_rng(5).random(1000).astype(np.float32)
    scores[::7] = 0.0
    expected = np.empty(1000, dtype=np.int64)
    for i, value in enumerate(scores):
        expected[i] = int((scores > value).sum()) + 1
    assert (ranks(scores) == expected).all()


def test_rrf_worked_example() -> None:
    # Item 0 is 1st and 3rd, item 1 is 2nd and 1st, item 2 is 3rd and 2nd (k = 60).
    fused = reciprocal_rank_fusion([np.array([3.0, 2.0, 1.0]), np.array([1.0, 3.0, 2.0])])
    expected = np.array([1 / 61 + 1 / 63, 1 / 62 + 1 / 61, 1 / 63 + 1 / 62]) / (2 / 61)
    assert np.allclose(fused, expected)
    assert fused.argmax() == 1
    assert reciprocal_rank_fusion([np.array([5.0])]).tolist() == [1.0]
