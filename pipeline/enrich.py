"""Batch steps after per-item normalization: the ones that need a model or an index loaded once."""

from __future__ import annotations

from pipeline import supportiveness
from pipeline.canonical import Listing


def enrich_listings(listings: list[Listing]) -> None:
    """Fill supportiveness (from listing and employer tags) in place."""
    for listing in listings:
        signals = [*listing["signals"], *listing["employer"]["registry_tags"]]
        listing["supportiveness"] = supportiveness.score(signals)
