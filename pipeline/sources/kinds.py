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
from pipeline.canonical import Listing
from pipeline.errors import NormalizeError
from pipeline.sources import ashby, greenhouse, lever, remoteok, usajobs
from pipeline.sources.build import listing_id, payload_hash, payload_of


@dataclass(frozen=True)
class Normalizer:
    identify: Callable[[dict[str, Any]], tuple[str, str]]  # -> (listing id, content hash)
    normalize: Callable[..., Listing]  # (item, content_hash=None): pass identify()'s hash to skip re-hashing


def _identify_jobposting(item: dict[str, Any]) -> tuple[str, str]:
    payload = payload_of(item)
    url = jobposting._absolute(payload.get("url")) or item.get("canonical_url") or item.get("url")
    source_id = jobposting._identifier(payload) or url
    source = item.get("source")
    if not source or not source_id:
        raise NormalizeError("missing_identity", "the item has no source or no identifier/URL")
    return listing_id(str(source), str(source_id)), payload_hash(payload, url)


NORMALIZERS: dict[str, Normalizer] = {
    "jobposting": Normalizer(identify=_identify_jobposting, normalize=jobposting.normalize_jobposting),
    "greenhouse_job": Normalizer(identify=greenhouse.identify_greenhouse, normalize=greenhouse.normalize_greenhouse),
    "lever_posting": Normalizer(identify=lever.identify_lever, normalize=lever.normalize_lever),
    "ashby_job": Normalizer(identify=ashby.identify_ashby, normalize=ashby.normalize_ashby),
    "usajobs_job": Normalizer(identify=usajobs.identify_usajobs, normalize=usajobs.normalize_usajobs),
    "remoteok_job": Normalizer(identify=remoteok.identify_remoteok, normalize=remoteok.normalize_remoteok),
}
