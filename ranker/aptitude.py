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
from ranker.wording import Language, Names, Phrase, say

NEUTRAL_FIT = 0.5
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


def interest_reason(
    profile_interests: dict[str, float],
    occupation: dict[str, Any] | None,
    occupation_interests: dict[str, float] | None,
    fit: float,
    language: Language = "en",
) -> dict[str, str] | None:
    """One reason about interest fit (text in ``language``), or None when the person gave no
    interests. The occupation's name stays as its taxonomy writes it."""
    mine = strongest(profile_interests)
    if not mine:
        return None
    if not occupation or not occupation_interests:
        return {"kind": "caveat", "tag": "interest_fit", "text": say(language, "interest.unknown_occupation")}
    theirs = strongest(occupation_interests)
    shared = [letter for letter in mine if letter in theirs]
    values = {
        "mine": Names.of("interest", mine), "theirs": Names.of("interest", theirs),
        "shared": ", ".join(shared), "shared_names": Names.of("interest", shared),
        "occupation": occupation.get("title") or occupation.get("code"), "fit": fit,
        "source": Phrase("source.jobtag" if occupation.get("taxonomy") == "jobtag" else "source.onet"),
    }
    correlation = 2 * fit - 1
    if shared and correlation > -CLEAR_FIT:
        return {"kind": "interest", "tag": "interest_fit", "text": say(language, "interest.shared", **values)}
    if correlation >= CLEAR_FIT:
        return {"kind": "interest", "tag": "interest_fit", "text": say(language, "interest.overall", **values)}
    if correlation <= -CLEAR_FIT or not shared:
        return {"kind": "lacks", "tag": "interest_fit", "text": say(language, "interest.apart", **values)}
    return None
