"""Fusion that sorts only the head of each ranking gives the same pages as exact fusion, and
stored profiles warmed for a new snapshot get the page a cold request would compute."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks.synthetic import ListingGenerator, generated_profiles, load_vocabulary, title_vectors
from ranker.fusion import FusedRelevance, rank_bounds, ranks, reciprocal_rank_fusion
from ranker.profile import SENSITIVE_NEEDS, parse_profile
from ranker.recommend import recommend, relevance_inputs
from ranker.serving_index import ServingIndex
from ranker.users.store import UserStore
from ranker.users.stored import StoredScoreCache, recommend_stored, store_profile, warm_stored_scores
from tests.conftest import shared_data

NOW = datetime(2026, 11, 26)


def test_ranks_with_a_depth_are_exact_in_the_head_and_bound_the_tail() -> None:
    rng = np.random.default_rng(9)
    for trial in range(200):
        n = int(rng.integers(1, 2000))
        scores = rng.normal(size=n).astype(np.float32)
        if trial % 3 == 0:
            scores = np.round(scores, 1).astype(np.float32)  # many ties
        if trial % 2 == 0:  # lexical-like: non-negative with many zeros
            scores = np.abs(scores)
            scores[rng.random(n) < 0.3] = 0.0
        depth = int(rng.integers(1, n + 3))
        exact = ranks(scores)
        best, worst = rank_bounds(scores, depth)
        assert (best <= exact).all() and (exact <= worst).all(), trial
        assert np.array_equal(best[exact <= depth], exact[exact <= depth]), trial
        assert (best == worst).sum() >= min(depth, n) or scores.min() >= 0, trial


def test_resolved_values_are_bit_for_bit_those_of_exact_fusion() -> None:
    rng = np.random.default_rng(4)
    lexical = np.abs(rng.normal(size=5000)).astype(np.float32)
    lexical[rng.random(5000) < 0.2] = 0.0
    dense = rng.normal(size=5000).astype(np.float32)
    exact = reciprocal_rank_fusion([lexical, dense])
    fusion = FusedRelevance([lexical, dense], depth=100)
    assert not fusion.complete
    assert (fusion.lo <= exact).all() and (exact <= fusion.hi).all()
    some = rng.choice(5000, 700, replace=False)
    fusion.resolve(some)
    assert np.array_equal(fusion.lo[some], exact[some]) and np.array_equal(fusion.hi[some], exact[some])
    assert np.array_equal(fusion.exact(), exact) and fusion.complete


@pytest.fixture(scope="module")
def generated_index(embedder: Any) -> ServingIndex:
    shared = shared_data("greenhouse_boards_tech_jobs_hub/greenhouse_jobs_index_all_boards.csv").parents[1]
    rows = ListingGenerator(load_vocabulary(shared), seed=3, title_pool=400, classify=False).listings(3000, now=NOW)
    rows.sort(key=lambda r: r["id"])
    return ServingIndex.build("generated-1", rows, title_vectors(rows, embedder))


def _profiles(index: ServingIndex, count: int) -> list[Any]:
    rows = [index.row(i) for i in range(len(index))]
    data = generated_profiles(rows, count, seed=21)
    # Every third profile also discloses a sensitive need (the page may swap listings in).
    sensitive = sorted(SENSITIVE_NEEDS)
    for n, profile in enumerate(data):
        if n % 3 == 0:
            profile["needs"] = [*profile["needs"], sensitive[n % len(sensitive)]]
            profile["consent"] = {"sensitive_needs": True}
    return [parse_profile(p) for p in data]


def _page(page: Any) -> list[tuple[str, float, dict[str, float], list[str]]]:
    return [(r.listing["id"], r.score, r.parts, r.misses) for r in page.results]


def test_fast_fusion_gives_the_pages_of_exact_fusion(generated_index: ServingIndex, embedder: Any) -> None:
    index = generated_index
    profiles = _profiles(index, 60)
    vectors = embedder.encode([p.query_text() for p in profiles])
    resolved_share = []
    for profile, vector in zip(profiles, vectors, strict=True):
        for k in (10, 50):
            exact = recommend(index, profile, k=k, now=NOW,
                              scores=relevance_inputs(index, profile, vector, None, depth=None))
            # A shallow head (40 of 3,000) so that pages are mostly chosen from resolved tails.
            fast_scores = relevance_inputs(index, profile, vector, None, depth=40)
            fast = recommend(index, profile, k=k, now=NOW, scores=fast_scores)
            assert _page(fast) == _page(exact)
            assert fast.notes == exact.notes and fast.narrowest_constraint == exact.narrowest_constraint
            resolved_share.append(fast_scores.fusion.resolved.mean())
    # The point of it: most listings are never ranked exactly.
    assert float(np.median(resolved_share)) < 0.5


def test_warmed_profiles_get_the_cold_page_on_a_new_snapshot(
    generated_index: ServingIndex, embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IPPO_USER_KEY", raising=False)
    old = generated_index
    new = ServingIndex.build("generated-2", [old.row(i) for i in range(len(old))][::-1][:2500][::-1],
                             old.vectors[500:])
    store = UserStore.open(tmp_path)
    try:
        ids = [store_profile(store, p, embedder) for p in _profiles(old, 5)]
        cache = StoredScoreCache(capacity=8)
        for profile_id in ids:
            recommend_stored(old, store, profile_id, embedder, now=NOW, cache=cache)
        store.delete(ids[0])
        assert cache.recent_profiles() == ids[::-1]
        assert warm_stored_scores(new, store, embedder, cache) == 4  # the erased profile is skipped
        assert ids[0] not in cache.recent_profiles()
        for profile_id in ids[1:]:
            assert cache.get((profile_id, new.version, embedder.name)) is not None
            warm = recommend_stored(new, store, profile_id, embedder, now=NOW, cache=cache)
            cold = recommend_stored(new, store, profile_id, embedder, now=NOW, cache=None)
            assert _page(warm) == _page(cold) and warm.snapshot_version == "generated-2"
    finally:
        store.close()
