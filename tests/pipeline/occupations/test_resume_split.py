"""The frozen tuning / held-out split of the labelled resumes."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from benchmarks.occupations_eval import ResumeSplitChangedError, load_resumes, mean_by_half, resume_halves
from pipeline.occupations.split import HELD_OUT, TUNING, frozen_split_matches, resume_key, split_resumes
from tests.conftest import shared_data


def _toy() -> tuple[list[str], list[str]]:
    categories = ["a"] * 5 + ["b"] * 3 + ["c"] * 4 + ["d"] * 1
    texts = [f"resume {n} of {category}" for n, category in enumerate(categories)]
    return categories, texts


def test_each_category_is_dealt_to_both_halves_and_the_halves_are_balanced() -> None:
    categories, texts = _toy()
    halves = split_resumes(categories, texts)
    per_category = Counter(zip(categories, halves, strict=True))
    for category in "abc":
        assert per_category[(category, TUNING)] >= 1 and per_category[(category, HELD_OUT)] >= 1
        assert abs(per_category[(category, TUNING)] - per_category[(category, HELD_OUT)]) <= 1
    # odd categories a, b, d give their extra resume to the tuning, held-out, tuning half in turn
    assert per_category[("a", TUNING)] == 3 and per_category[("b", HELD_OUT)] == 2
    assert per_category[("d", TUNING)] == 1


def test_a_resume_keeps_its_half_whatever_the_file_order_or_spacing() -> None:
    categories, texts = _toy()
    expected = dict(zip(texts, split_resumes(categories, texts), strict=True))
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    shuffled = split_resumes([categories[i] for i in order], [texts[i] for i in order])
    assert shuffled == [expected[texts[i]] for i in order]
    assert resume_key("Java  Developer\n") == resume_key("java developer")


def test_the_real_resumes_split_into_the_frozen_halves() -> None:
    rows, relevance = load_resumes(shared_data("resumes"))
    assert len(rows) == 90
    assert frozen_split_matches([c for c, _ in rows], [t for _, t in rows])
    halves = resume_halves(rows)
    assert [halves.count(TUNING), halves.count(HELD_OUT)] == [45, 45]
    tuning = {c for (c, _), h in zip(rows, halves, strict=True) if h == TUNING}
    held_out = {c for (c, _), h in zip(rows, halves, strict=True) if h == HELD_OUT}
    assert tuning == held_out == set(relevance)


def test_a_changed_resume_set_is_refused() -> None:
    rows, _ = load_resumes(shared_data("resumes"))
    assert not frozen_split_matches([c for c, _ in rows[1:]], [t for _, t in rows[1:]])
    with pytest.raises(ResumeSplitChangedError, match=r"resumes_dev\.csv changed"):
        resume_halves(rows[1:])


def test_mean_by_half() -> None:
    figures = mean_by_half([1.0, 0.0, 0.5, 0.5], [TUNING, HELD_OUT, TUNING, HELD_OUT])
    assert figures == {TUNING: 0.75, HELD_OUT: 0.25, "all": 0.5}
