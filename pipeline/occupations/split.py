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
