"""Ranker-quality tables from rankings and judgements, and a page of recommendations with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from ippo.analysis.ranking import evaluation_scores, judged_in_snapshot, recommendation_frame, scores_by_need
from ranker.evaluate import ndcg_at_k

JUDGEMENTS = {"p1": {"x": 3, "y": 1, "z": 0}, "p2": {"w": 2}}
RANKINGS = {"good": {"p1": ["x", "y"], "p2": ["w"]}, "poor": {"p1": ["z", "y"], "p2": ["q"]}}


def test_scores_name_the_gain_and_match_ranker_evaluate() -> None:
    scores = evaluation_scores(RANKINGS, JUDGEMENTS, k=10)
    assert len(scores) == 2 * 2 * 2  # methods x profiles x gains
    row = scores[(scores["method"] == "poor") & (scores["profile"] == "p1") & (scores["gain"] == "linear")].iloc[0]
    assert row["ndcg@10"] == pytest.approx(ndcg_at_k(["z", "y"], {"x": 3.0, "y": 1.0, "z": 0.0}, 10, gain="linear"))
    assert row["recall@10"] == 0.0  # x, graded 3, is missed
    assert row["gain_label"] == "linear gain rel"
    good = scores[(scores["method"] == "good") & (scores["gain"] == "exponential")]
    assert good["ndcg@10"].tolist() == [pytest.approx(1.0), pytest.approx(1.0)]
    assert good["recall@10"].tolist() == [1.0, 1.0]
    unjudged = scores[(scores["method"] == "poor") & (scores["profile"] == "p2")]
    assert unjudged["judged_share"].tolist() == [0.0, 0.0]


def test_scores_by_need_average_the_profiles_stating_it() -> None:
    scores = evaluation_scores(RANKINGS, JUDGEMENTS, k=10, gains=["linear"])
    per_need = scores_by_need(scores, {"p1": ["career_gap_ok", "remote"], "p2": ["career_gap_ok"]})
    gap = per_need[(per_need["need"] == "career_gap_ok") & (per_need["method"] == "poor")].iloc[0]
    assert gap["profiles"] == 2
    assert gap["recall@10"] == 0.0
    remote = per_need[(per_need["need"] == "remote") & (per_need["method"] == "good")].iloc[0]
    assert (remote["profiles"], remote["ndcg@10"]) == (1, pytest.approx(1.0))
    none = scores_by_need(scores, {"p1": []})
    assert "(none)" in set(none["need"])


def test_judged_in_snapshot_counts_what_can_be_earned() -> None:
    frame = judged_in_snapshot(JUDGEMENTS, ["x", "z", "w"]).set_index("profile")
    assert frame.loc["p1"].tolist() == [3, 2, 1]
    assert frame.loc["p2"].tolist() == [1, 1, 1]


def test_recommendation_frame_shows_reasons_with_evidence(published: Path) -> None:
    from pipeline.warehouse.pointer import current_snapshot
    from ranker.profile import parse_profile
    from ranker.recommend import recommend
    from ranker.serving_index import ServingIndex

    snapshot = current_snapshot(published / "serving")
    assert snapshot is not None
    index = ServingIndex.from_snapshot(snapshot)
    profile = parse_profile({"language": "ja", "desired_titles": ["看護師"], "avoid": ["night_shift"],
                             "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}})
    page = recommend(index, profile, k=3)
    frame = recommendation_frame(page)
    assert frame["rank"].tolist() == list(range(1, len(page.results) + 1))
    assert len(frame) >= 1
    assert all(frame["reasons"].str.startswith("["))
    assert frame["reasons"].str.contains("「").any()  # at least one reason quotes its evidence
