"""Ashby job board API (``ashby_job`` items) as canonical listings; identity is the job id."""

from __future__ import annotations

from typing import Any

from pipeline.canonical import Listing, Salary
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.fields.salary import parse_base_salary, parse_salary_text
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


def _ashby_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = payload_of(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Ashby job has no id")
    return job_id, url_or_none(payload.get("jobUrl")), payload


def identify_ashby(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _ashby_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def _ashby_salary(payload: dict[str, Any]) -> Salary | None:
    compensation = mapping_of(payload.get("compensation"))
    components = [
        c
        for c in compensation.get("summaryComponents") or []
        if isinstance(c, dict) and str(c.get("compensationType", "Salary")).lower() == "salary"
    ]
    salary = parse_base_salary(components[0]) if components else None
    if salary is None:
        summary = _str(compensation.get("scrapeableCompensationSalarySummary")) or _str(
            compensation.get("compensationTierSummary")
        )
        salary = parse_salary_text(summary) if summary else None
    return salary


def _ashby_remote_places(payload: dict[str, Any]) -> list[object]:
    """The location names, and the address when it names a country and nothing smaller (the
    address of a remote job with a city is its office)."""
    places: list[object] = [_str(payload.get("location")) or ""]
    places += [_str(p.get("location")) or "" for p in payload.get("secondaryLocations") or [] if isinstance(p, dict)]
    postal = mapping_of(mapping_of(payload.get("address")).get("postalAddress"))
    if postal.get("addressCountry") and not (postal.get("addressLocality") or postal.get("addressRegion")):
        places.append({"addressCountry": postal["addressCountry"]})
    return places


def normalize_ashby(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _ashby_ids(item)
    description_html = payload.get("descriptionHtml") if isinstance(payload.get("descriptionHtml"), str) else None
    description_text = _str(payload.get("descriptionPlain")) or (
        html_to_text(description_html) if description_html else ""
    )
    places: list[Any] = []
    if isinstance(payload.get("address"), dict):
        places.append({"address": payload["address"]})
    places += [p for p in payload.get("secondaryLocations") or [] if isinstance(p, dict)]
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(payload.get("title")),
        url=url,
        apply_url=url_or_none(payload.get("applyUrl")),
        description_html=description_html,
        description_text=description_text,
        employer=company_name(item, payload.get("organizationName")),
        locations=normalize_locations(places, _str(payload.get("location"))),
        remote=detect_remote(payload, _str(payload.get("location"))),
        employment_types=normalize_employment_types(payload.get("employmentType")),
        salary=_ashby_salary(payload),
        date_posted=payload.get("publishedAt"),
        valid_through=None,
        language=None,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=_str(payload.get("location")) or "",
        remote_places=_ashby_remote_places(payload),
    )
