"""The public face of occupation mapping: rank, classify listings, look up interests.

Everything here goes through the process-wide matchers of pipeline.occupations.model, so a
caller pays for building an index once and then serves many queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from ippo.config import DEFAULT_DENSE_VIEW, DenseView
from pipeline.canonical import Occupation
from pipeline.occupations.listing_title import clean_listing_title
from pipeline.occupations.model import (
    DESCRIPTION_WEIGHT,
    Calibration,
    get_matcher,
    is_short,
    load_calibration,
    top_two,
)
from pipeline.occupations.tables import TAXONOMIES, UnknownTaxonomyError, get_occupation
from pipeline.text.language import is_japanese

# A listing description beyond this many characters adds nothing but time.
_DESCRIPTION_CHARS = 3000


def resolve_taxonomy(taxonomy: str, text: str) -> str:
    """ "auto" means job tag for Japanese text and O*NET otherwise."""
    if taxonomy == "auto":
        return "jobtag" if is_japanese(text) else "onet"
    if taxonomy not in TAXONOMIES:
        raise UnknownTaxonomyError(f"unknown taxonomy {taxonomy!r}: use onet, jobtag or auto")
    return taxonomy


def rank_occupations(
    text: str, taxonomy: str = "auto", k: int = 10, *, dense_view: DenseView = DEFAULT_DENSE_VIEW
) -> list[dict[str, Any]]:
    """The k occupations best matching a title or a free text, as {code, title, score}, best first.

    An empty text yields an empty list; scores are fused similarities (higher is better,
    comparable within one taxonomy). dense_view: whether and how the dense view runs.
    """
    return rank_many([text], taxonomy, k, dense_view=dense_view)[0]


def rank_many(
    texts: Sequence[str], taxonomy: str = "auto", k: int = 10, *, dense_view: DenseView = DEFAULT_DENSE_VIEW
) -> list[list[dict[str, Any]]]:
    """rank_occupations for many texts at once (grouped by taxonomy, one pass per group)."""
    results: list[list[dict[str, Any]]] = [[] for _ in texts]
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if text and text.strip():
            groups.setdefault(resolve_taxonomy(taxonomy, text), []).append(index)
    for name, indices in groups.items():
        matcher = get_matcher(name)
        scores = matcher.scores([texts[i] for i in indices], dense_view=dense_view)
        for index, ranked in zip(indices, matcher.top(scores, k), strict=True):
            results[index] = ranked
    return results


def _listing_taxonomy(title: str, description: str | None, language: str | None) -> str:
    if language:
        primary = language.split("-")[0].lower()
        if primary == "ja":
            return "jobtag"
        if primary == "en":
            return "onet"
    return "jobtag" if is_japanese(title or (description or "")) else "onet"


def _calibrations(taxonomy: str) -> dict[bool, Calibration]:
    """The calibration of a taxonomy's fused scores without (False) and with (True) the dense view."""
    if taxonomy != "onet":
        return dict.fromkeys((False, True), load_calibration(taxonomy))
    return {False: load_calibration("onet_lexical"), True: load_calibration("onet")}


def classify_listings(
    rows: Sequence[tuple[str, str | None, str | None]], *, dense_view: DenseView = DEFAULT_DENSE_VIEW
) -> list[Occupation | None]:
    """The most plausible occupation of each (title, description, language) listing, or None.

    Vectorized: the listings of one taxonomy are scored in one pass. The title decides; the
    description adds a smaller share so that "Associate" at a hospital and at a bank differ.
    Confidence is a logistic calibration of the best score and its margin over the second
    (fitted on held-out dev titles); listings below the calibrated threshold get None.
    """
    out: list[Occupation | None] = [None] * len(rows)
    groups: dict[str, list[int]] = {}
    for index, (title, description, language) in enumerate(rows):
        title = title or ""
        if not title.strip() and not (description or "").strip():
            continue
        groups.setdefault(_listing_taxonomy(title, description, language), []).append(index)
    for name, indices in groups.items():
        matcher = get_matcher(name)
        # Listings whose cleaned titles coincide ("Cashier (Part-Time)", "Cashier") share the
        # title views: each distinct cleaned title is scored once.
        slot_of: dict[str, int] = {}
        slots = [slot_of.setdefault(clean_listing_title(rows[i][0] or ""), len(slot_of)) for i in indices]
        titles = list(slot_of)
        descriptions = [(rows[i][1] or "")[:_DESCRIPTION_CHARS] for i in indices]
        with_text = [n for n, text in enumerate(descriptions) if text.strip()]

        texts = [descriptions[n] for n in with_text]
        also = partial(matcher.lexical.document_scores, texts) if texts else None
        views, dense_slots = matcher.gated_components(titles, dense_view=dense_view, also=also)
        context = views.pop("also", None)
        short = np.array([is_short(title) for title in titles], dtype=bool)
        slot_index = np.asarray(slots, dtype=np.intp)
        scores = matcher.fuse(views, short, dense_slots)[slot_index]
        with_dense = dense_slots[slot_index]
        if with_text and context is not None:
            scores[with_text] = (1 - DESCRIPTION_WEIGHT) * scores[with_text] + DESCRIPTION_WEIGHT * context
        no_title = [n for n, slot in enumerate(slots) if not titles[slot].strip()]
        if no_title:
            scores[no_title] = matcher.scores([descriptions[n] for n in no_title], dense_view=dense_view)
            with_dense[no_title] = dense_view.enabled and matcher.uses_dense
        calibrations = _calibrations(name)
        top2 = top_two(scores)
        for n, index in enumerate(indices):
            best, second = top2[n]
            best_score = float(scores[n, best])
            if best_score <= 0:
                continue
            calibration = calibrations[bool(with_dense[n])]
            confidence = calibration.confidence(best_score, float(scores[n, second]))
            if confidence < calibration.threshold:
                continue
            out[index] = Occupation(
                taxonomy=name,
                code=matcher.codes[best],
                title=matcher.titles[best],
                confidence=round(confidence, 4),
            )
    return out


def classify_listing(
    title: str,
    description: str | None = None,
    language: str | None = None,
    *,
    dense_view: DenseView = DEFAULT_DENSE_VIEW,
) -> Occupation | None:
    """The most plausible occupation of one listing, or None when nothing is plausible."""
    return classify_listings([(title, description, language)], dense_view=dense_view)[0]


def occupation_interests(taxonomy: str, code: str) -> dict[str, float] | None:
    """The RIASEC interest profile (R, I, A, S, E, C) of an occupation, or None if unknown.

    O*NET values are Occupational Interest scores on 1-7; job tag values are 職業興味 means
    on 1-5. Only the shape of the profile matters to the aptitude fit.
    """
    if taxonomy not in TAXONOMIES:
        raise UnknownTaxonomyError(f"unknown taxonomy {taxonomy!r}: use onet or jobtag")
    record = get_occupation(taxonomy, code)
    if record is None or record.get("riasec") is None:
        return None
    return dict(record["riasec"])
