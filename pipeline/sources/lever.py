"""Lever postings API (``lever_posting`` items) as canonical listings; identity is the posting id."""

from __future__ import annotations

import html
from typing import Any

from pipeline.canonical import Listing, Location
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.fields.salary import parse_base_salary
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
from pipeline.text.normalize import html_to_text


def _lever_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = payload_of(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Lever posting has no id")
    return job_id, url_or_none(payload.get("hostedUrl")), payload


def identify_lever(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _lever_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def normalize_lever(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _lever_ids(item)
    categories = mapping_of(payload.get("categories"))
    parts_html = [payload.get("description") or payload.get("opening") or ""]
    parts_text = [payload.get("descriptionPlain") or payload.get("openingPlain") or ""]
    for block in payload.get("lists") or []:
        if isinstance(block, dict):
            heading = html.escape(str(block.get("text") or ""))
            parts_html.append(f"<h3>{heading}</h3><ul>{block.get('content') or ''}</ul>")
            parts_text.append(html_to_text(f"<h3>{heading}</h3><ul>{block.get('content') or ''}</ul>"))
    parts_html.append(payload.get("additional") or "")
    parts_text.append(payload.get("additionalPlain") or "")
    description_html = "\n".join(p for p in parts_html if isinstance(p, str) and p) or None
    description_text = "\n".join(p.strip() for p in parts_text if isinstance(p, str) and p.strip())
    places = categories.get("allLocations") or categories.get("location")
    locations = normalize_locations(places, _str(categories.get("location")))
    country = _str(payload.get("country"))
    if country and len(country) == 2:
        for location in locations:
            location["country"] = location["country"] or country.upper()
        if not locations:
            locations = [Location(country=country.upper(), region=None, locality=None, postal_code=None)]
    salary = parse_base_salary(payload.get("salaryRange"))
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(payload.get("text")),
        url=url,
        apply_url=url_or_none(payload.get("applyUrl")),
        description_html=description_html,
        description_text=description_text,
        employer=company_name(item),
        locations=locations,
        remote=detect_remote(payload, _str(categories.get("location"))),
        employment_types=normalize_employment_types(categories.get("commitment")),
        salary=salary,
        date_posted=payload.get("createdAt"),
        valid_through=None,
        language=None,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=f"{categories.get('commitment') or ''}\n{payload.get('salaryDescriptionPlain') or ''}",
        remote_places=[places],
    )
