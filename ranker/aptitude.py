"""Aptitude fit: how well a person's RIASEC interests agree with a listing's occupation.

The listing's occupation (filled by the loader from O*NET or job tag) has an interest profile:
O*NET Occupational Interests (1-7) or job tag 職業興味 (1-5). The person's interests come on
any scale. Both are reduced to their shape (centred, unit length; see
``listing_features.interest_shape``), so their dot product is the Pearson correlation of the
six scores: +1 when the same interests stand out, -1 when the opposite ones do. The fit part of
the score maps it to [0, 1]; a listing whose occupation is unknown gets the neutral 0.5, so
missing data neither helps nor hurts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.listing_features import RIASEC, interest_shape

NEUTRAL_FIT = 0.5
LETTER_NAMES = {"R": "Realistic", "I": "Investigative", "A": "Artistic", "S": "Social", "E": "Enterprising",
                "C": "Conventional"}
# A correlation at or above this counts as a good fit in the reasons; at or below the
# negative of it, as a poor one.
CLEAR_FIT = 0.3


def fit_scores(riasec: np.ndarray, profile_interests: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(fit in [0, 1], known?) for listing interest shapes (n, 6) against the person's interests."""
    shape = interest_shape(profile_interests)
    if not shape.any():
        return np.full(len(riasec), NEUTRAL_FIT, dtype=np.float32), np.zeros(len(riasec), dtype=bool)
    correlation = riasec @ shape
    # Shapes have unit length, so a known occupation has riasec[:, 0..5] not all zero; the
    # squared norm tells them apart without a second pass over the matrix.
    known = np.einsum("ij,ij->i", riasec, riasec) > 0.5
    return np.where(known, (correlation + 1.0) / 2.0, NEUTRAL_FIT).astype(np.float32), known


def strongest(scores: dict[str, float] | None, count: int = 2) -> list[str]:
    """The letters that stand out: the highest `count` scores above the profile's own mean."""
    if not scores:
        return []
    values = {letter: float(scores.get(letter, 0.0) or 0.0) for letter in RIASEC}
    mean = sum(values.values()) / 6
    ordered = sorted(RIASEC, key=lambda letter: (-values[letter], RIASEC.index(letter)))
    return [letter for letter in ordered[:count] if values[letter] > mean]


def _letters(letters: list[str]) -> str:
    return ", ".join(f"{letter} ({LETTER_NAMES[letter]})" for letter in letters)


def interest_reason(
    profile_interests: dict[str, float],
    occupation: dict[str, Any] | None,
    occupation_interests: dict[str, float] | None,
    fit: float,
) -> dict[str, str] | None:
    """One reason about interest fit, or None when the person gave no interests."""
    mine = strongest(profile_interests)
    if not mine:
        return None
    if not occupation or not occupation_interests:
        return {"kind": "caveat", "tag": "interest_fit",
                "text": "the occupation of this listing is not known, so interest fit was not judged"}
    theirs = strongest(occupation_interests)
    shared = [letter for letter in mine if letter in theirs]
    name = occupation.get("title") or occupation.get("code")
    source = "job tag 職業興味" if occupation.get("taxonomy") == "jobtag" else "O*NET Interests"
    correlation = 2 * fit - 1
    if shared and correlation > -CLEAR_FIT:
        return {"kind": "interest", "tag": "interest_fit",
                "text": f"your strongest interests {_letters(mine)} share {', '.join(shared)} with this occupation's "
                        f"{_letters(theirs)} ({name}; {source}; fit {fit:.2f})"}
    if correlation >= CLEAR_FIT:
        return {"kind": "interest", "tag": "interest_fit",
                "text": f"your interests resemble this occupation's overall ({name}; {source}; fit {fit:.2f})"}
    if correlation <= -CLEAR_FIT or not shared:
        return {"kind": "lacks", "tag": "interest_fit",
                "text": f"this occupation's strongest interests are {_letters(theirs)}; yours are {_letters(mine)} "
                        f"({name}; {source}; fit {fit:.2f})"}
    return None
