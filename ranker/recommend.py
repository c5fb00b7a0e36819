"""Rank a snapshot's listings for one aptitude profile, with the reasons for each result.

Order of work: open listings only (never closed or expired) -> hard constraints -> relevance
(character n-gram TF-IDF and sentence embeddings, fused by reciprocal rank) -> how many of the
person's needs the listing meets -> the listing's supportiveness. When the constraints leave
fewer than k listings, the page is filled with the nearest matches, each marked with the
constraint it misses, and the narrowest constraint is named: nobody is told there is nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from ranker.embedding import Embedder
from ranker.explain import explain
from ranker.filters import ConstraintResult, evaluate
from ranker.fusion import reciprocal_rank_fusion
from ranker.profile import AptitudeProfile
from ranker.serving_index import ServingIndex

# The final score is a weighted sum of parts in [0, 1]. Relevance leads (a job the person can
# do and wants), needs follow (a place that lowers their barriers), then general supportiveness.
WEIGHTS = {"relevance": 0.6, "needs": 0.25, "supportiveness": 0.15}
REMOTE_PREFERRED_BONUS = 0.05


@dataclass
class Recommendation:
    listing: dict[str, Any]
    score: float
    parts: dict[str, float]
    reasons: list[dict[str, str]]
    misses: list[str] = field(default_factory=list)


@dataclass
class RecommendationPage:
    results: list[Recommendation]
    candidates: int  # open listings considered
    matching: int  # of those, how many meet every constraint
    narrowest_constraint: str | None = None
    notes: list[str] = field(default_factory=list)
    snapshot_version: str = ""


def relevance_scores(
    index: ServingIndex, profile: AptitudeProfile, embedder: Embedder | None, query_vector: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fused relevance in [0, 1], lexical cosine, dense cosine) for every listing."""
    query = profile.query_text()
    lexical = index.lexical.scores(query)
    dense = np.zeros(len(index), dtype=np.float32)
    if index.vectors is not None:
        if query_vector is None and embedder is not None:
            query_vector = embedder.encode([query])[0]
        if query_vector is not None:
            dense = index.vectors @ query_vector
    fused = reciprocal_rank_fusion([lexical, dense] if index.vectors is not None else [lexical])
    return fused, lexical, dense


def _narrowest(open_mask: np.ndarray, constraints: list[ConstraintResult]) -> str | None:
    """The constraint that, alone, excludes the most listings that meet all the others."""
    best, best_count = None, 0
    for c in constraints:
        others = open_mask.copy()
        for other in constraints:
            if other is not c:
                others &= other.passes
        excluded = int((others & ~c.passes).sum())
        if excluded > best_count:
            best, best_count = c.name, excluded
    return best


def recommend(
    index: ServingIndex,
    profile: AptitudeProfile,
    k: int = 10,
    embedder: Embedder | None = None,
    query_vector: np.ndarray | None = None,
    now: datetime | None = None,
) -> RecommendationPage:
    open_mask = index.open_mask(now)
    constraints = evaluate(profile, index)
    all_pass = open_mask.copy()
    for c in constraints:
        all_pass &= c.passes
    page = RecommendationPage(
        results=[], candidates=int(open_mask.sum()), matching=int(all_pass.sum()), snapshot_version=index.version
    )
    if page.candidates == 0:
        page.notes.append("there are no open listings in the published data yet; run `ippo refresh`")
        return page

    relevance, lexical, dense = relevance_scores(index, profile, embedder, query_vector)
    needs = profile.needs
    needs_met = np.zeros(len(index), dtype=np.float32)
    for need in needs:
        mask = index.tag_masks.get(need)
        if mask is not None:
            needs_met += mask
    needs_part = needs_met / len(needs) if needs else needs_met
    support = np.array([r.get("supportiveness") or 0.0 for r in index.rows], dtype=np.float32)
    score = (
        WEIGHTS["relevance"] * relevance + WEIGHTS["needs"] * needs_part + WEIGHTS["supportiveness"] * support
    )
    if profile.constraints.remote == "preferred":
        score = score + REMOTE_PREFERRED_BONUS * np.array(
            [r.get("remote") in ("remote", "hybrid") for r in index.rows], dtype=np.float32
        )

    missed = np.zeros(len(index), dtype=np.int32)
    for c in constraints:
        missed += ~c.passes
    chosen = [int(i) for i in np.flatnonzero(all_pass)]
    chosen.sort(key=lambda i: -score[i])
    chosen = chosen[:k]
    if len(chosen) < k:
        page.narrowest_constraint = _narrowest(open_mask, constraints)
        nearest = [int(i) for i in np.flatnonzero(open_mask & ~all_pass)]
        nearest.sort(key=lambda i: (missed[i], -score[i]))
        chosen.extend(nearest[: k - len(chosen)])
        if page.matching == 0:
            page.notes.append("no open listing meets every constraint; showing the nearest matches")
        else:
            page.notes.append(f"only {page.matching} listing(s) meet every constraint; nearest matches follow")
        if page.narrowest_constraint:
            described = next(c.description for c in constraints if c.name == page.narrowest_constraint)
            page.notes.append(f"the narrowest constraint is {page.narrowest_constraint} ({described})")

    for i in chosen:
        row = index.rows[i]
        misses = [c.name for c in constraints if not c.passes[i]]
        parts = {
            "relevance": round(float(relevance[i]), 4),
            "lexical": round(float(lexical[i]), 4),
            "dense": round(float(dense[i]), 4),
            "needs": round(float(needs_part[i]), 4),
            "supportiveness": round(float(support[i]), 4),
        }
        reasons = explain(row, profile, constraints, i, parts)
        page.results.append(
            Recommendation(listing=row, score=round(float(score[i]), 4), parts=parts, reasons=reasons, misses=misses)
        )
    return page
