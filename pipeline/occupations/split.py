"""Deterministic train/test split of the O*NET alternate titles.

The split is decided by hashing the normalized title text, never by position or random state,
so the same title lands in the same split on every machine and every O*NET release, and a
title that maps to several occupations never straddles both splits. Only the train split is
indexed; the test split measures how well unseen job titles are mapped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

TEST_PERCENT = 20
# Inside the train split, this bucket range is held out of the index while the fusion weights
# and the confidence calibration are tuned, so the test split is never looked at for tuning.
DEV_BUCKETS = range(70, 80)

_SPACE = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Case-, width- and space-insensitive form of a title, used as the split key."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def title_bucket(title: str) -> int:
    """A stable bucket 0..99 for a title."""
    digest = hashlib.sha256(normalize_title(title).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def is_test_title(title: str) -> bool:
    """True for the ~20 % of titles reserved for evaluation."""
    return title_bucket(title) >= 100 - TEST_PERCENT


def is_dev_title(title: str) -> bool:
    """True for the slice of the train split used to tune weights (never in the test split)."""
    return title_bucket(title) in DEV_BUCKETS


# Job tag has too few aliases (about 1,500) for a train/test split; this share of them is
# held out only while its fusion weights and confidence calibration are fitted.
JOBTAG_DEV_BUCKETS = range(60, 100)


def is_jobtag_dev_alias(alias: str) -> bool:
    return title_bucket(alias) in JOBTAG_DEV_BUCKETS


# The labelled resumes (resumes_dev.csv of the evaluation data, 90 rows of 25 categories) are
# split once, before any tuning on them, into a tuning half and a held-out half. Within each
# category the resumes are ordered by the SHA-256 of their normalized text and dealt
# alternately to the two halves; a category with an odd count gives its extra resume to the
# tuning half or the held-out half in turn (categories in name order), so the halves are
# 45 / 45. Nothing about a resume but its category and its text decides its half.
TUNING = "tuning"
HELD_OUT = "held-out"
# SHA-256 of the sorted held-out keys (resume_key) of the 90 resumes, recorded when the split
# was frozen; frozen_split_matches() tells whether the data still splits the same way.
HELD_OUT_DIGEST = "4e09b518cc12fd3b4a5061fa2ca5f09f0b209ec6112d0d7cbcee777388bf1b2f"


def resume_key(text: str) -> str:
    """A stable key of a resume: SHA-256 hex of its case-, width- and space-folded text."""
    return hashlib.sha256(normalize_title(text).encode("utf-8")).hexdigest()


def split_resumes(categories: Sequence[str], texts: Sequence[str]) -> list[str]:
    """TUNING or HELD_OUT for each resume, stratified by category (see the comment above)."""
    if len(categories) != len(texts):
        raise ValueError(f"split_resumes: {len(categories)} categories for {len(texts)} texts")
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, category in enumerate(categories):
        by_category[category].append(index)
    halves = [""] * len(texts)
    odd_seen = 0
    for category in sorted(by_category):
        members = sorted(by_category[category], key=lambda i: (resume_key(texts[i]), i))
        first, second = (TUNING, HELD_OUT) if odd_seen % 2 == 0 else (HELD_OUT, TUNING)
        if len(members) % 2:
            odd_seen += 1
        for position, index in enumerate(members):
            halves[index] = first if position % 2 == 0 else second
    return halves


def held_out_digest(texts: Sequence[str], halves: Sequence[str]) -> str:
    keys = sorted(resume_key(text) for text, half in zip(texts, halves, strict=True) if half == HELD_OUT)
    return hashlib.sha256("\n".join(keys).encode("ascii")).hexdigest()


def frozen_split_matches(categories: Sequence[str], texts: Sequence[str]) -> bool:
    """Whether these resumes split into exactly the held-out half recorded in HELD_OUT_DIGEST."""
    return held_out_digest(texts, split_resumes(categories, texts)) == HELD_OUT_DIGEST
