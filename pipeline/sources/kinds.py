"""Which normalizer reads which kind of raw item.

Every spider writes items with a ``kind``; each kind has two functions: ``identify`` (cheap:
the listing id and the payload's content hash, so unchanged items are skipped before any
parsing) and ``normalize`` (the full canonical listing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pipeline.sources.jobposting as jobposting
from pipeline.sources.ats import ATS_KINDS
from pipeline.canonical import Listing
from pipeline.errors import NormalizeError
from pipeline.sources.build import listing_id, payload_hash


@dataclass(frozen=True)
class Normalizer:
    identify: Callable[[dict[str, Any]], tuple[str, str]]  # -> (listing id, content hash)
    normalize: Callable[..., Listing]  # (item, content_hash=None): pass identify()'s hash to skip re-hashing


def _identify_jobposting(item: dict[str, Any]) -> tuple[str, str]:
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise NormalizeError("payload_not_object", "the item's payload is not a JSON object")
    url = jobposting._absolute(payload.get("url")) or item.get("canonical_url") or item.get("url")
    source_id = jobposting._identifier(payload) or url
    source = item.get("source")
    if not source or not source_id:
        raise NormalizeError("missing_identity", "the item has no source or no identifier/URL")
    return listing_id(str(source), str(source_id)), payload_hash(payload, url)


NORMALIZERS: dict[str, Normalizer] = {
    "jobposting": Normalizer(identify=_identify_jobposting, normalize=jobposting.normalize_jobposting),
    **{kind: Normalizer(identify=ident, normalize=norm) for kind, (ident, norm) in ATS_KINDS.items()},
}
