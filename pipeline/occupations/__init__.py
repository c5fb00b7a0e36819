"""Occupation mapping: listing titles and free texts to O*NET-SOC (English) and job tag
(職業情報提供サイト, Japanese) occupations, with confidences and RIASEC interest profiles.

Data: O*NET 29.3 Database (USDOL/ETA, CC BY 4.0) and 職業情報提供サイト（日本版O-NET）
(JILPT), shipped in derived form under pipeline/data/occupations/ (see its ATTRIBUTION.md).
"""

from pipeline.occupations.service import (
    classify_listing,
    classify_listings,
    occupation_interests,
    rank_many,
    rank_occupations,
    resolve_taxonomy,
)
from pipeline.occupations.tables import TAXONOMIES, UnknownTaxonomyError

__all__ = [
    "TAXONOMIES",
    "UnknownTaxonomyError",
    "classify_listing",
    "classify_listings",
    "occupation_interests",
    "rank_many",
    "rank_occupations",
    "resolve_taxonomy",
]
