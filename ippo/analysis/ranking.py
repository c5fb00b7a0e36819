"""Ranker quality as tables: nDCG@k and recall@k per method, profile, need and gain, from rankings
and graded judgements given as plain data (the notebook runs the methods), and one page of
recommendations with its reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ranker.evaluate import GAINS, Gain, gain_label, ndcg_at_k, recall_at_k
from ranker.present import location_text, salary_text
from ranker.recommend import RecommendationPage

# The profile `ippo demo` recommends for: the ranker notebook's example when it is given none.
SAMPLE_PROFILE = Path(__file__).resolve().parent.parent / "samples" / "profile_returning_nurse_ja.json"
RELEVANT_GRADE = 2  # a judged listing graded at least this counts as relevant for recall

Rankings = Mapping[str, Mapping[str, Sequence[str]]]  # method -> profile -> ranked listing ids
Judgements = Mapping[str, Mapping[str, int]]  # profile -> listing id -> grade 0-3


def evaluation_scores(rankings: Rankings, judgements: Judgements, k: int = 10,
                      gains: Iterable[Gain] = GAINS) -> pd.DataFrame:
    """One row per method, profile and gain: nDCG@k (the gain named in ``gain_label``), recall@k of
    the listings graded >= 2, results returned, and the share of them that were judged."""
    rows = []
    for method, per_profile in rankings.items():
        for profile, ranked in per_profile.items():
            grades = judgements.get(profile, {})
            top = list(ranked[:k])
            relevant = [item for item, grade in grades.items() if grade >= RELEVANT_GRADE]
            judged = sum(1 for item in top if item in grades) / len(top) if top else 0.0
            for gain in gains:
                rows.append({
                    "method": method, "profile": profile, "gain": gain, "gain_label": gain_label(gain),
                    f"ndcg@{k}": ndcg_at_k(top, {i: float(g) for i, g in grades.items()}, k, gain=gain),
                    f"recall@{k}": recall_at_k(top, relevant, k),
                    "returned": len(top), "judged_share": judged,
                })
    return pd.DataFrame(rows)


def scores_by_need(scores: pd.DataFrame, needs: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Mean of each metric per need, method and gain over the profiles that state the need
    (``needs``: profile -> its needs); a profile stating no need counts under "(none)"."""
    pairs = [(profile, need) for profile in scores["profile"].unique() for need in (needs.get(profile) or ["(none)"])]
    per_need = pd.DataFrame(pairs, columns=["profile", "need"])
    merged = scores.merge(per_need, on="profile")
    metrics = [c for c in scores.columns if c.startswith(("ndcg@", "recall@"))]
    grouped = merged.groupby(["need", "method", "gain"], as_index=False)
    means = grouped[metrics].mean()
    means["profiles"] = grouped["profile"].nunique()["profile"]
    return means.sort_values(["need", "gain", "method"], ignore_index=True)


def judged_in_snapshot(judgements: Judgements, present: Iterable[str]) -> pd.DataFrame:
    """Per profile: listings judged, how many of them the snapshot holds, and how many of those
    are graded >= 2. Judgements of listings the snapshot lacks cannot be earned by any method."""
    have = set(present)
    rows = [{"profile": profile, "judged": len(grades), "in_snapshot": sum(1 for i in grades if i in have),
             "relevant_in_snapshot": sum(1 for i, g in grades.items() if i in have and g >= RELEVANT_GRADE)}
            for profile, grades in judgements.items()]
    return pd.DataFrame(rows, columns=["profile", "judged", "in_snapshot", "relevant_in_snapshot"])


def recommendation_frame(page: RecommendationPage) -> pd.DataFrame:
    """One row per result of the page: rank, title, employer, place, pay, score, and its reasons
    (one line each, ``[kind] text 「evidence」``) and the constraints it misses."""
    rows = []
    for rank, rec in enumerate(page.results, start=1):
        listing = rec.listing
        reasons = [f"[{r.get('kind')}] {r.get('text')}" + (f" 「{r['evidence']}」" if r.get("evidence") else "")
                   for r in rec.reasons]
        rows.append({
            "rank": rank, "title": listing.get("title"), "employer": (listing.get("employer") or {}).get("name"),
            "place": location_text(listing, page.language), "pay": salary_text(listing.get("salary"), page.language),
            "score": round(rec.score, 3), "reasons": "\n".join(reasons), "misses": ", ".join(rec.misses),
        })
    return pd.DataFrame(rows, columns=["rank", "title", "employer", "place", "pay", "score", "reasons", "misses"])
