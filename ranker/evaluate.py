"""Ranking metrics as small pure functions over plain data: graded nDCG@k, recall@k, MRR.

Two gain forms exist in the literature and give different figures on the same ranking:
``linear`` uses the grade itself (rel / log2(rank + 1)); ``exponential`` uses 2^rel - 1, which
weighs a grade-2 item three times a grade-1 item. Both are offered and callers name the one
they use; every printed figure names it too (:func:`gain_label`). This is the project's one
nDCG: the benchmarks and ``ippo eval`` call it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Literal, TypeVar

Item = TypeVar("Item", bound=Hashable)
Gain = Literal["linear", "exponential"]
GAINS: tuple[Gain, ...] = ("linear", "exponential")
_GAIN_LABELS: dict[Gain, str] = {"linear": "linear gain rel", "exponential": "exponential gain 2^rel-1"}


def gain_label(gain: Gain) -> str:
    """How a printed figure names its gain, e.g. "nDCG@10 (exponential gain 2^rel-1)"."""
    return _GAIN_LABELS[_checked(gain)]


def _checked(gain: str) -> Gain:
    if gain not in GAINS:
        raise ValueError(f"unknown nDCG gain {gain!r}: use one of {', '.join(GAINS)}")
    return gain  # type: ignore[return-value]


def _gain(grade: float, form: Gain) -> float:
    return (2.0**grade - 1.0) if form == "exponential" else float(grade)


def dcg(grades: Sequence[float], k: int | None = None, *, gain: Gain) -> float:
    """Discounted cumulative gain of grades in ranked order: sum of gain / log2(rank + 1)."""
    form = _checked(gain)
    cut = grades if k is None else grades[:k]
    return sum(_gain(g, form) / math.log2(rank + 1) for rank, g in enumerate(cut, start=1))


def ndcg_at_k(
    ranked: Sequence[Item], relevance: Mapping[Item, float], k: int = 10, *, gain: Gain
) -> float:
    """DCG@k of the ranking over the DCG@k of the ideal ordering of every judged item.

    Items missing from `relevance` have grade 0. The ideal is built from all judged items, not
    only the retrieved ones, so relevant items the ranking missed lower the score. Returns 0.0
    when nothing is relevant."""
    ideal = dcg(sorted(relevance.values(), reverse=True), k, gain=gain)
    if ideal <= 0:
        return 0.0
    return dcg([relevance.get(item, 0.0) for item in ranked], k, gain=gain) / ideal


def recall_at_k(ranked: Sequence[Hashable], relevant: Iterable[Hashable], k: int = 10) -> float:
    """Share of the relevant items found in the top k (0.0 when there are none)."""
    wanted = set(relevant)
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


def reciprocal_rank(ranked: Sequence[Hashable], relevant: Iterable[Hashable]) -> float:
    """1 / rank of the first relevant item, 0.0 when none is ranked."""
    wanted = set(relevant)
    for rank, item in enumerate(ranked, start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def mean_reciprocal_rank(rankings: Sequence[Sequence[Hashable]], relevant: Sequence[Iterable[Hashable]]) -> float:
    if len(rankings) != len(relevant):
        raise ValueError(f"{len(rankings)} rankings but {len(relevant)} relevance sets")
    if not rankings:
        return 0.0
    return sum(reciprocal_rank(r, s) for r, s in zip(rankings, relevant, strict=True)) / len(rankings)


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
