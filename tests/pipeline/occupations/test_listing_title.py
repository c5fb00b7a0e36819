"""Listing-title cleaning keeps the occupation and drops how the job is offered."""

from __future__ import annotations

import pytest

from pipeline.occupations.listing_title import clean_listing_title


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("RN - Night Shift", "RN"),
        ("Cashier (Part-Time) $15/hr", "Cashier"),
        ("Data Entry Clerk, Full-Time, Hybrid", "Data Entry Clerk"),
        ("Software Engineer (m/w/d) - Remote", "Software Engineer"),
        ("Warehouse Associate - Up to $22/hour + Sign-On Bonus", "Warehouse Associate"),
        ("【未経験OK】一般事務（パート）", "一般事務"),
        ("正看護師（日勤のみ）", "正看護師"),
        ("薬剤師（週3日～OK）", "薬剤師"),
    ],
)
def test_offer_terms_are_removed(title: str, cleaned: str) -> None:
    assert clean_listing_title(title) == cleaned


@pytest.mark.parametrize("title", ["Weekend Manager", "Day Porter", "医療事務（調剤薬局）", "Nurse Practitioner"])
def test_occupation_words_are_kept(title: str) -> None:
    assert clean_listing_title(title) == title


def test_a_title_made_only_of_offer_terms_is_kept_as_is() -> None:
    assert clean_listing_title("Part-Time") == "Part-Time"
