"""Fairness check: disclosing a sensitive need must never lower what a page offers for the
person's other needs.

For each GENERATED profile (benchmarks.synthetic) the page of 10 is computed twice: as given, and
with a sensitive need added (with consent). needs-coverage@10 is the mean, over the page's
results, of the share of the profile's non-sensitive needs each result meets. The scoring
guarantees by construction that the second figure is never below the first (see
``ranker.recommend._swap_in_sensitive``); this evaluation measures it, and also how many
results meet the sensitive need, to show that disclosing it helps.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from ranker.profile import SENSITIVE_NEEDS, parse_profile
from ranker.recommend import RecommendationPage, recommend
from ranker.serving_index import ServingIndex


def needs_coverage(page: RecommendationPage, needs: list[str], index: ServingIndex, k: int = 10) -> float:
    """Mean share of `needs` met by the top k results (0.0 for an empty page or no needs)."""
    results = page.results[:k]
    if not results or not needs:
        return 0.0
    masks = [index.tag_mask(need) for need in needs]
    total = 0.0
    for rec in results:
        i = index.position(rec.listing["id"])
        assert i is not None
        total += sum(1 for mask in masks if mask is not None and mask[i]) / len(needs)
    return total / len(results)


def sensitive_hits(page: RecommendationPage, need: str, index: ServingIndex, k: int = 10) -> int:
    mask = index.tag_mask(need)
    if mask is None:
        return 0
    return sum(1 for rec in page.results[:k] if mask[index.position(rec.listing["id"])])


@dataclass
class FairnessReport:
    profiles: int
    sensitive_need: str
    differences: list[float]  # coverage with - coverage without, per profile
    without: list[float]
    with_need: list[float]
    hits_without: list[int]
    hits_with: list[int]

    @property
    def lower(self) -> int:
        return sum(1 for d in self.differences if d < -1e-12)

    def summary(self) -> dict[str, Any]:
        diffs = np.array(self.differences)
        return {
            "profiles": self.profiles,
            "sensitive_need": self.sensitive_need,
            "coverage_without_mean": round(statistics.fmean(self.without), 4) if self.without else 0.0,
            "coverage_with_mean": round(statistics.fmean(self.with_need), 4) if self.with_need else 0.0,
            "difference": {
                "min": round(float(diffs.min()), 4) if len(diffs) else 0.0,
                "p5": round(float(np.percentile(diffs, 5)), 4) if len(diffs) else 0.0,
                "median": round(float(np.median(diffs)), 4) if len(diffs) else 0.0,
                "mean": round(float(diffs.mean()), 4) if len(diffs) else 0.0,
                "max": round(float(diffs.max()), 4) if len(diffs) else 0.0,
            },
            "profiles_lower": self.lower,
            "profiles_equal": sum(1 for d in self.differences if abs(d) <= 1e-12),
            "profiles_higher": sum(1 for d in self.differences if d > 1e-12),
            "sensitive_hits_per_page_without": round(statistics.fmean(self.hits_without), 3)
            if self.hits_without else 0.0,
            "sensitive_hits_per_page_with": round(statistics.fmean(self.hits_with), 3) if self.hits_with else 0.0,
        }


def evaluate_fairness(
    index: ServingIndex, profiles: list[dict[str, Any]], sensitive_need: str = "disability_employment",
    embedder: Any = None, k: int = 10,
) -> FairnessReport:
    if sensitive_need not in SENSITIVE_NEEDS:
        raise ValueError(f"{sensitive_need} is not a sensitive need; use one of {', '.join(sorted(SENSITIVE_NEEDS))}")
    report = FairnessReport(len(profiles), sensitive_need, [], [], [], [], [])
    for data in profiles:
        plain = parse_profile(data)
        disclosed = parse_profile({**data, "needs": [*plain.needs, sensitive_need],
                                   "consent": {"sensitive_needs": True}})
        vector = embedder.encode([plain.query_text()])[0] if embedder is not None and index.vectors is not None \
            else None
        other = [n for n in plain.needs if n not in SENSITIVE_NEEDS]
        page_without = recommend(index, plain, k=k, query_vector=vector)
        page_with = recommend(index, disclosed, k=k, query_vector=vector)
        without = needs_coverage(page_without, other, index, k)
        with_need = needs_coverage(page_with, other, index, k)
        report.without.append(without)
        report.with_need.append(with_need)
        report.differences.append(round(with_need - without, 12))
        report.hits_without.append(sensitive_hits(page_without, sensitive_need, index, k))
        report.hits_with.append(sensitive_hits(page_with, sensitive_need, index, k))
    return report
