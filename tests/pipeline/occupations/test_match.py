"""Occupation matching against the shipped tables (no ../shared needed)."""

from __future__ import annotations

from functools import partial

import pytest

from ippo.config import LEXICAL_ONLY
from pipeline.occupations import UnknownTaxonomyError, occupation_interests, service

# Lexical views only: fast, and independent of the embedding model being installed.
classify_listing = partial(service.classify_listing, dense_view=LEXICAL_ONLY)
classify_listings = partial(service.classify_listings, dense_view=LEXICAL_ONLY)
rank_occupations = partial(service.rank_occupations, dense_view=LEXICAL_ONLY)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Registered Nurse", "29-1141.00"),
        ("Software Developer", "15-1252.00"),
        ("Pharmacist", "29-1051.00"),
        ("Forklift Operator", "53-7051.00"),
        ("Data Entry Clerk", "43-9021.00"),
        ("Dental Hygienist", "29-1292.00"),
        ("Customer Service Representative", "43-4051.00"),
    ],
)
def test_english_titles_map_to_their_onet_occupation(title: str, code: str) -> None:
    assert rank_occupations(title, "onet", k=3)[0]["code"] == code


@pytest.mark.parametrize(
    ("title", "code", "name"),
    [("看護師", "156", "看護師"), ("薬剤師", "158", "薬剤師"), ("一般事務", "428", "一般事務")],
)
def test_japanese_titles_map_to_their_jobtag_occupation(title: str, code: str, name: str) -> None:
    best = rank_occupations(title, "auto", k=5)[0]
    assert (best["code"], best["title"]) == (code, name)


def test_auto_taxonomy_follows_the_language() -> None:
    assert rank_occupations("看護師の求人", k=1)[0]["code"] == "156"
    assert rank_occupations("Registered Nurse", k=1)[0]["code"] == "29-1141.00"
    # One language rule for listings and queries: a job tag alias with English words is Japanese,
    # an English title naming its Tokyo office or using "・" is not.
    assert service.resolve_taxonomy("auto", "QA（Quality Assurance）テスター") == "jobtag"
    assert service.resolve_taxonomy("auto", "Sales Manager・Tokyo (東京)") == "onet"


def test_ranking_is_sorted_and_sized() -> None:
    ranked = rank_occupations("warehouse associate picking and packing orders", "onet", k=7)
    assert len(ranked) == 7
    scores = [item["score"] for item in ranked]
    assert scores == sorted(scores, reverse=True)
    assert set(ranked[0]) == {"code", "title", "score"}


def test_empty_text_ranks_nothing() -> None:
    assert rank_occupations("   ", "onet") == []


def test_unknown_taxonomy_is_refused_with_its_name() -> None:
    with pytest.raises(UnknownTaxonomyError, match="esco"):
        rank_occupations("nurse", "esco")


def test_classify_listing_uses_title_and_description() -> None:
    occupation = classify_listing("RN - Night Shift", "Provide patient care on a medical ward.", "en")
    assert occupation is not None
    assert occupation["taxonomy"] == "onet"
    assert occupation["code"] == "29-1141.00"
    assert 0.0 <= occupation["confidence"] <= 1.0


def test_classify_listing_japanese() -> None:
    occupation = classify_listing("正看護師（日勤のみ）", "病棟での看護業務全般をお任せします。", "ja")
    assert occupation is not None
    assert (occupation["taxonomy"], occupation["code"]) == ("jobtag", "156")


def test_classify_listing_returns_none_for_nonsense() -> None:
    assert classify_listing("zzqx vvkp", None, "en") is None
    assert classify_listing("Join our team today!", None, "en") is None
    assert classify_listing("", None, None) is None


def test_batch_matches_one_by_one() -> None:
    rows = [
        ("Registered Nurse", None, "en"),
        ("薬剤師", "調剤薬局での調剤、服薬指導", "ja"),
        ("Software Developer", "Build web services in Python.", None),
        ("", "", None),
    ]
    batch = classify_listings(rows)
    assert batch == [classify_listing(*row) for row in rows]
    assert batch[3] is None
    assert batch[1] is not None and batch[1]["code"] == "158"


def test_confidence_is_higher_for_an_exact_title_than_for_a_vague_one() -> None:
    exact = classify_listing("Registered Nurse", None, "en")
    vague = classify_listing("Associate", None, "en")
    assert exact is not None
    assert vague is None or vague["confidence"] < exact["confidence"]


def test_onet_interests_are_the_occupational_interest_scores() -> None:
    # O*NET 29.3 Interests.txt, 29-1141.00, scale OI.
    assert occupation_interests("onet", "29-1141.00") == {
        "R": 3.66,
        "I": 4.82,
        "A": 1.31,
        "S": 5.62,
        "E": 2.28,
        "C": 4.58,
    }


def test_jobtag_interests_are_the_shokugyo_kyomi_means() -> None:
    # job tag numeric 6.01, 収録番号 156 看護師, IPD_04_01_001..006.
    assert occupation_interests("jobtag", "156") == {
        "R": 3.325,
        "I": 2.792,
        "A": 2.416,
        "S": 4.078,
        "E": 2.805,
        "C": 3.182,
    }


def test_interests_unknown_code_is_none_and_unknown_taxonomy_raises() -> None:
    assert occupation_interests("onet", "99-9999.99") is None
    with pytest.raises(UnknownTaxonomyError):
        occupation_interests("isco", "2221")


def test_the_dense_view_is_an_argument() -> None:
    from pipeline.occupations.model import Matcher

    views = Matcher("onet").components(["Registered Nurse"], dense_view=LEXICAL_ONLY)
    assert set(views) == {"title", "document"}
