"""Greenhouse job board API jobs (``greenhouse_job`` items) as canonical listings.

Identity is the board's job id. The crawler sends only the list entry for a job whose
``updated_at`` has not moved since the last run, so the content hash is (id, updated_at): that light
item counts as "seen, unchanged" instead of overwriting the full text.
"""

from __future__ import annotations

from typing import Any

from pipeline.canonical import Listing
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.sources.build import (
    build_listing,
    company_name,
    listing_id,
    mapping_of,
    payload_hash,
    payload_of,
    source_of,
    url_or_none,
)
from pipeline.sources.build import text_or_none as _str  # the builder's reading of a payload value
from pipeline.text.normalize import html_to_text, unescape_markup


def _greenhouse_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = payload_of(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Greenhouse job has no id")
    return job_id, url_or_none(payload.get("absolute_url")), payload


def identify_greenhouse(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _greenhouse_ids(item)
    version = {"id": job_id, "updated_at": payload.get("updated_at")}
    return listing_id(source_of(item), job_id), payload_hash(version, url)


def normalize_greenhouse(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _greenhouse_ids(item)
    content = payload.get("content") if isinstance(payload.get("content"), str) else None
    # The API escapes the HTML once more ("&lt;p&gt;"); unescape to get the markup itself.
    description_html = unescape_markup(content) if content else None
    description_text = html_to_text(description_html) if description_html else ""
    location = mapping_of(payload.get("location"))
    location_name = _str(location.get("name")) or ""
    offices = [o.get("name") for o in payload.get("offices") or [] if isinstance(o, dict)]
    metadata_text = " ".join(
        f"{m.get('name')}: {m.get('value')}" for m in payload.get("metadata") or [] if isinstance(m, dict)
    )
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(payload.get("title")),
        url=url,
        apply_url=url,
        description_html=description_html,
        description_text=description_text,
        employer=company_name(item, payload.get("company_name")),
        locations=normalize_locations(location or None, location_name),
        remote=detect_remote(payload, f"{location_name}\n{' '.join(map(str, offices))}")
        or detect_remote(None, description_text),
        employment_types=normalize_employment_types(payload.get("employment")),
        salary=None,
        date_posted=payload.get("first_published") or payload.get("updated_at"),
        valid_through=payload.get("application_deadline"),
        language=_str(payload.get("language")),
        content_hash=content_hash or identify_greenhouse(item)[1],
        extra_text=f"{location_name}\n{metadata_text}",
        remote_places=[location_name, *offices],
    )
