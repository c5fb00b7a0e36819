"""Generated listings are built from the real vocabularies and say that they are generated."""

from __future__ import annotations

from datetime import datetime

from benchmarks.synthetic import GENERATED_NOTE, ListingGenerator, generated_profiles, load_vocabulary
from pipeline.canonical import SENIORITY_LEVELS, SUSPICIOUS_REASONS
from ranker.profile import AVOIDABLE, EMPLOYER_NEEDS, LISTING_NEEDS, parse_profile
from ranker.serving_index import ServingIndex
from tests.conftest import shared_data


def test_generated_listings_use_real_vocabularies_and_are_labelled() -> None:
    shared = shared_data("greenhouse_boards_tech_jobs_hub/greenhouse_jobs_index_all_boards.csv").parents[1]
    vocab = load_vocabulary(shared)
    rows = ListingGenerator(vocab, seed=3, title_pool=300, classify=False).listings(400, now=datetime(2026, 11, 26))
    assert len({r["id"] for r in rows}) == 400
    assert all(GENERATED_NOTE in r["description"] for r in rows)
    english_titles = {t for _, t, _ in vocab.english}
    japanese_titles = {t for _, t, _ in vocab.japanese}
    for row in rows:
        assert row["title"] in (japanese_titles if row["language"] == "ja" else english_titles)
        if row["language"] == "ja":
            assert row["locations"][0]["region"] in vocab.prefectures
        for signal in row["signals"]:
            assert signal["tag"] in LISTING_NEEDS or signal["tag"] in AVOIDABLE
        for signal in row["employer"]["registry_tags"]:
            assert signal["tag"] in EMPLOYER_NEEDS
    languages = {r["language"] for r in rows}
    assert languages == {"ja", "en"}
    assert {"open", "closed"} <= {r["status"] for r in rows}
    profiles = [parse_profile(p) for p in generated_profiles(rows, 20, seed=5)]
    assert all(p.desired_titles and p.needs for p in profiles)
    index = ServingIndex.build("generated", rows, None)
    assert index.open_mask(datetime(2026, 11, 26)).sum() < 400


def test_generated_listings_carry_the_listing_facts() -> None:
    shared = shared_data("greenhouse_boards_tech_jobs_hub/greenhouse_jobs_index_all_boards.csv").parents[1]
    rows = ListingGenerator(load_vocabulary(shared), seed=3, title_pool=300, classify=False).listings(
        400, now=datetime(2026, 11, 26)
    )
    assert all(r["remote_regions"] == [] for r in rows if r["remote"] == "onsite")
    assert any(r["remote_regions"] for r in rows)
    assert {r["seniority"] for r in rows} <= {None, *SENIORITY_LEVELS}
    assert any(r["seniority"] for r in rows) and any(r["experience_years_min"] is not None for r in rows)
    assert {reason for r in rows for reason in r["suspicious"]} <= set(SUSPICIOUS_REASONS)
