"""Listing search over the served snapshot: a text query (Japanese or English, the ranker's
lexical index) or newest first, filters, and keyset pages.

Only open listings are searched (open, not a duplicate, not past valid_through). With a query,
the listings that match it (``text_matches``) are ordered by their lexical score, best first; without
one, by when they were posted (date_posted, else when ippo first saw them), newest first,
listings of unknown date last. Ties go by position in the snapshot (the id order), so the order
is total and the same on every request for a snapshot: a page ends at a key (order value,
position) and the next page starts strictly after it, so paging visits every listing once even
when a listing expires between two requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from pipeline.text.fold import fold_key
from ranker.filters import location_states
from ranker.lexical import text_pieces
from ranker.listing_facts import ListingFacts
from ranker.listing_features import ETYPE_BITS, REMOTE_CODES
from ranker.recommend import LEXICAL_FLOOR
from ranker.serving_index import ServingIndex

# A listing matches a text query when it shares a whole term with it (a word, a kanji or katakana
# run), or, for a query in Japanese, whose terms are often parts of longer runs (看護 in 正看護師),
# when its in-term character gram cosine (ranker.lexical) reaches the recommender's floor for
# Japanese. English grams alone are not enough: "nurse" shares letter grams with "warehouse".
MIN_GRAM_SCORE = LEXICAL_FLOOR


@dataclass(frozen=True)
class ListingFilters:
    """Every filter a search may set; each one left empty keeps every listing."""

    tags: tuple[str, ...] = ()  # every one of these supportive tags (listing signal or employer registry tag)
    remote: tuple[str, ...] = ()  # any of onsite | hybrid | remote, as the listing states it
    region: str | None = None  # a two-letter country code, or a region name (東京都, California)
    employment_types: tuple[str, ...] = ()  # any of these (pipeline.canonical.EMPLOYMENT_TYPES)
    min_pay: float | None = None  # the top of the stated pay reaches this, in pay_unit and currency only
    pay_unit: str | None = None
    currency: str | None = None
    posted_since: datetime | None = None


@dataclass(frozen=True)
class PageKey:
    """Where a page ended: the last listing's order value and position."""

    order: float
    position: int


@dataclass
class SearchPage:
    positions: list[int]
    scores: list[float | None]  # the text score of each listing (None without a query)
    matching: int  # open listings matching the query and filters, on every page
    next_key: PageKey | None  # None: this was the last page
    ordered_by: str = "posted"  # "text" (best first) or "posted" (newest first)


def filter_mask(index: ServingIndex, facts: ListingFacts, filters: ListingFilters) -> np.ndarray:
    """Listings that state what every filter asks (a filter on a fact a listing does not state
    excludes it)."""
    mask = np.ones(len(index), dtype=bool)
    for tag in filters.tags:
        tag_mask = index.tag_mask(tag)
        mask &= tag_mask if tag_mask is not None else False
    if filters.remote:
        mask &= np.isin(index.features.remote, [REMOTE_CODES[mode] for mode in filters.remote])
    if filters.region:
        mask &= _in_region(index, filters.region)
    if filters.employment_types:
        bits = 0
        for kind in filters.employment_types:
            bits |= ETYPE_BITS[kind]
        mask &= (index.features.etype_bits & np.uint16(bits)) != 0
    if filters.min_pay is not None:
        mask &= _pays_at_least(facts, filters.min_pay, filters.pay_unit or "", filters.currency or "")
    if filters.posted_since is not None:
        since = filters.posted_since if filters.posted_since.tzinfo else filters.posted_since.replace(tzinfo=UTC)
        with np.errstate(invalid="ignore"):
            mask &= facts.posted >= since.timestamp()
    return mask


def _in_region(index: ServingIndex, region: str) -> np.ndarray:
    """A stated place in the country (two letters) or region, or a remote listing that may be
    done from that country: the profile constraint's "meets" (ranker.filters)."""
    wanted = region.strip()
    is_country = len(wanted) == 2 and wanted.isascii() and wanted.isalpha()
    key = (fold_key(wanted), "", "") if is_country else ("", fold_key(wanted), "")
    meets, _ = location_states(index, [key])
    return meets


def _pays_at_least(facts: ListingFacts, amount: float, unit: str, currency: str) -> np.ndarray:
    """Pay stated in this very unit and currency whose top reaches the amount; pay in another
    unit or currency is not converted, so it never matches."""
    same = (facts.pay_unit == unit.upper()) & (facts.pay_currency == currency.upper())
    with np.errstate(invalid="ignore"):
        return same & (facts.pay_top >= amount)


def text_matches(index: ServingIndex, text: str) -> np.ndarray:
    """Listings that match the text query (see MIN_GRAM_SCORE)."""
    matches = index.lexical.terms.scores(text, len(index)) > 0
    if any(kind in ("kanji", "katakana") for kind, _ in text_pieces(text)):
        matches |= index.lexical.grams.scores(text, len(index)) >= MIN_GRAM_SCORE
    return matches


def search(
    index: ServingIndex, facts: ListingFacts, text: str, filters: ListingFilters, limit: int,
    after: PageKey | None = None, now: datetime | None = None,
) -> SearchPage:
    """One page of at most ``limit`` listings, starting after ``after`` (None: the first page)."""
    mask = index.open_mask(now) & filter_mask(index, facts, filters)
    scores: np.ndarray | None = None
    if text.strip():
        scores = index.lexical.scores(text).astype(np.float64)
        mask &= text_matches(index, text)
        order = -scores
    else:
        order = np.where(np.isnan(facts.posted), np.inf, -facts.posted)
    positions = np.flatnonzero(mask)
    values = order[positions]
    matching = len(positions)
    if after is not None:
        later = (values > after.order) | ((values == after.order) & (positions > after.position))
        positions, values = positions[later], values[later]
    ranked = np.lexsort((positions, values))[: limit + 1]
    page, more = ranked[:limit], len(ranked) > limit
    chosen = [int(p) for p in positions[page]]
    next_key = PageKey(float(values[page[-1]]), chosen[-1]) if more and chosen else None
    return SearchPage(
        positions=chosen,
        scores=[float(scores[p]) for p in chosen] if scores is not None else [None] * len(chosen),
        matching=matching, next_key=next_key, ordered_by="text" if scores is not None else "posted",
    )
