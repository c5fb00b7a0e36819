"""The metric functions of the recommendation evaluation on a tiny hand-made set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.baselines import BM25, naive_filter, tokens
from benchmarks.eval_recommend import (
    PROFILES_DIR,
    constraint_problems,
    load_judgements,
    load_profiles,
    mean_scores,
    precision_at_k,
    score_ranking,
    unjudged_share,
)
from ranker.profile import parse_profile

PROFILE = parse_profile({
    "language": "en", "desired_titles": ["office administrator"],
    "constraints": {"max_hours_per_week": 20, "locations": [{"country": "GB", "locality": "London"}],
                    "employment_types": ["PART_TIME"]},
    "avoid": ["night_shift"],
})


def _row(listing_id: str, **fields: object) -> dict:
    return {"id": listing_id, "title": listing_id, "locations": [], "remote": None, "employment_types": [],
            "hours_per_week": None, "salary": None, "signals": [], **fields}


FITS = _row("fits", locations=[{"country": "GB", "locality": "London"}], employment_types=["PART_TIME"],
            hours_per_week={"min": 16, "max": 20}, remote="onsite")
SILENT = _row("silent")
ELSEWHERE = _row("elsewhere", locations=[{"country": "GB", "locality": "Leeds"}], employment_types=["PART_TIME"],
                 hours_per_week={"min": 10, "max": 15})
FULL_TIME = _row("full_time", locations=[{"country": "GB", "locality": "London"}], employment_types=["FULL_TIME"])
NIGHTS = _row("nights", locations=[{"country": "GB", "locality": "London"}], employment_types=["PART_TIME"],
              hours_per_week={"min": 20, "max": 20}, signals=[{"tag": "night_shift"}])
REMOTE = _row("remote", locations=[{"country": "US"}], remote="remote", employment_types=["PART_TIME"],
              hours_per_week={"min": 20, "max": 20})
ROWS = {r["id"]: r for r in (FITS, SILENT, ELSEWHERE, FULL_TIME, NIGHTS, REMOTE)}


def test_constraint_problems_tell_unknown_from_violated() -> None:
    assert constraint_problems(FITS, PROFILE) == {}
    assert constraint_problems(SILENT, PROFILE) == {"location": "unknown", "employment_type": "unknown",
                                                    "hours": "unknown"}
    assert constraint_problems(ELSEWHERE, PROFILE) == {"location": "violated"}
    # a full-time job without stated hours exceeds a 20-hour limit; the type is violated too
    assert constraint_problems(FULL_TIME, PROFILE) == {"employment_type": "violated", "hours": "violated"}
    assert constraint_problems(NIGHTS, PROFILE) == {"avoid:night_shift": "violated"}
    # a remote listing placed elsewhere does not say where it may be done from
    assert constraint_problems(REMOTE, PROFILE) == {"location": "unknown"}
    # ... unless it states the regions it is open to
    assert constraint_problems({**REMOTE, "remote_regions": ["GB"]}, PROFILE) == {}
    assert constraint_problems({**REMOTE, "remote_regions": ["ANYWHERE"]}, PROFILE) == {}
    assert constraint_problems({**REMOTE, "remote_regions": ["US"]}, PROFILE) == {"location": "violated"}


def test_precision_counts_empty_places_as_misses_and_unjudged_as_zero() -> None:
    grades = {"fits": 3, "elsewhere": 2, "silent": 1}
    assert precision_at_k(["fits", "elsewhere", "silent", "nights"], grades) == pytest.approx(0.2)
    assert unjudged_share(["fits", "nights", "remote", "silent"], grades) == pytest.approx(0.5)
    assert unjudged_share([], grades) == 0.0


def test_score_ranking_on_a_hand_made_ranking() -> None:
    grades = {"fits": 3, "elsewhere": 1, "silent": 2}
    score = score_ranking(["silent", "fits", "nights"], ROWS, grades, PROFILE, gain="linear")
    # DCG = 2/log2(2) + 3/log2(3) + 0 = 3.8928; ideal 3, 2, 1 -> 3 + 2/log2(3) + 1/2 = 4.7619
    assert score.ndcg == pytest.approx(0.81749, abs=1e-4)
    assert score.precision == pytest.approx(0.2)
    assert score.unjudged == pytest.approx(1 / 3)
    assert score.constraint_problem == pytest.approx(2 / 3)  # silent (unknown), nights (violated)
    assert score.violated == pytest.approx(1 / 3)
    best = score_ranking(["fits", "silent", "elsewhere"], ROWS, grades, PROFILE, gain="exponential")
    assert best.ndcg == pytest.approx(1.0)
    mean = mean_scores([score, best])
    assert mean.ndcg == pytest.approx((score.ndcg + 1.0) / 2)
    assert mean.returned == 6


def test_bm25_ranks_the_matching_document_first_in_both_languages() -> None:
    assert tokens("Data entry 清掃スタッフ") == ["data", "entry", "清掃", "掃ス", "スタ", "タッ", "ッフ"]
    bm25 = BM25(["office administrator London", "warehouse associate", "清掃スタッフ 大阪", "データ入力 東京"])
    assert int(bm25.scores("office administrator").argmax()) == 0
    assert int(bm25.scores("清掃").argmax()) == 2
    assert not bm25.scores("nothing here").any()


def test_naive_filter_reads_country_and_remote_only() -> None:
    remote_gb = parse_profile({"desired_titles": ["tester"], "constraints": {
        "remote": "required", "locations": [{"country": "GB"}]}})
    rows = [_row("a", locations=[{"country": "GB"}], remote="remote"), _row("b", locations=[{"country": "GB"}]),
            _row("c", locations=[{"country": "US"}], remote="remote"), _row("d", remote="remote")]
    assert naive_filter(rows, remote_gb).tolist() == [True, False, False, False]


def test_judgements_file_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "j.jsonl"
    good.write_text(json.dumps({"profile": "p", "listing_id": "x", "grade": 2, "reason": "fits"}) + "\n")
    assert load_judgements(good) == {"p": {"x": 2}}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"profile": "p", "listing_id": "x", "grade": 5}) + "\n")
    with pytest.raises(SystemExit, match="grade 5 is not 0-3"):
        load_judgements(bad)


def test_the_shipped_profiles_are_valid_and_in_both_languages() -> None:
    profiles = load_profiles(PROFILES_DIR)
    assert len(profiles) >= 12
    assert sum(1 for p in profiles.values() if p.language == "ja") >= 5


def test_honesty_counts_notices_ordering_and_violations() -> None:
    from benchmarks.eval_recommend import Runs, honesty

    profiles = {"fits_exist": PROFILE, "nothing_fits": PROFILE, "badly_ordered": PROFILE}
    runs = Runs(
        tops={"ippo": {"fits_exist": ["fits", "silent"],
                       "nothing_fits": ["elsewhere", "silent"],
                       "badly_ordered": ["silent", "fits", "full_time"]}},
        rows=ROWS,
        notices={"fits_exist": None, "nothing_fits": "few_fit", "badly_ordered": "few_fit"},
        nearest={"nothing_fits": {"elsewhere"}},
    )
    judgements = {"fits_exist": {"fits": 3}, "nothing_fits": {"elsewhere": 1}, "badly_ordered": {"fits": 2}}
    lines: list[str] = []
    counts = honesty(runs, profiles, judgements, out=lines.append)
    assert counts["no_suitable"] == 1 and counts["no_suitable_with_notice"] == 1
    assert counts["suitable"] == 2 and counts["suitable_with_notice"] == 1  # badly_ordered has a 2 yet says few fit
    assert counts["unknown_above_stated"] == 1  # "silent" (unknown) above "fits" (stated and met)
    # "elsewhere" is a nearest match (left out); "full_time" is recommended and violates the type and hours
    assert counts["recommended"] == 2 + 1 + 3 and counts["recommended_violating"] == 1
    assert any("few_fit 2" in line for line in lines)
