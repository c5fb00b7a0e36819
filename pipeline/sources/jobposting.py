"""Turn one raw schema.org JobPosting item into a canonical listing.

Structured fields are read first; free text fills only what the structure leaves empty
(hours, remote, employment type). Registry tags, occupations and
supportiveness are added by the loader in batch, after this per-item step.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.canonical import Employer, Listing
from pipeline.employers.names import normalize_employer_name, split_composite_name
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.hours import parse_hours_per_week
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.fields.salary import parse_base_salary
from pipeline.sources.build import build_listing, payload_hash
from pipeline.text.language import detect_language
from pipeline.text.normalize import html_to_text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        for key in ("name", "value", "@value", "text"):
            if isinstance(value.get(key), str | int | float):
                return str(value[key]).strip() or None
        return None
    if isinstance(value, list):
        parts = [t for t in (_text(v) for v in value) if t]
        return ", ".join(parts) or None
    text = str(value).strip()
    return text or None


def _identifier(payload: dict[str, Any]) -> str | None:
    ident = payload.get("identifier")
    if isinstance(ident, list):
        ident = ident[0] if ident else None
    if isinstance(ident, dict):
        return _text(ident.get("value")) or _text(ident.get("@id"))
    return _text(ident)


def _absolute(url: Any) -> str | None:
    url = _text(url)
    return url if url and re.match(r"^https?://", url) else None


def _language(payload: dict[str, Any], item: dict[str, Any], title: str, description: str) -> str | None:
    declared = _text(payload.get("inLanguage")) or item.get("page_language")
    detected = detect_language(f"{title}\n{description}")
    if declared:
        declared = declared.split("-")[0].lower()
        # Trust the text over a page-wide lang attribute that contradicts it (an English
        # template around a Japanese posting, or the reverse).
        if detected and declared in ("ja", "en") and declared != detected:
            return detected
        return declared
    return detected


def _employer(payload: dict[str, Any]) -> Employer:
    org = payload.get("hiringOrganization")
    name = _text(org.get("name")) if isinstance(org, dict) else _text(org)
    if name:
        name = split_composite_name(name) or name
    return Employer(
        name=name,
        normalized_name=normalize_employer_name(name) if name else None,
        registry_tags=[],
    )


def normalize_jobposting(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    """One raw item of kind "jobposting" -> a canonical listing, or NormalizeError with the reason."""
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise NormalizeError("payload_not_object", "the item's payload is not a JSON object")
    source = _text(item.get("source"))
    if not source:
        raise NormalizeError("missing_source", "the item does not name its source")
    title = _text(payload.get("title")) or _text(payload.get("name"))
    if not title:
        raise NormalizeError("missing_title", "the JobPosting has no title")

    description_html = payload.get("description") if isinstance(payload.get("description"), str) else None
    description_text = html_to_text(description_html) if description_html else ""
    url = _absolute(payload.get("url")) or item.get("canonical_url") or _text(item.get("url"))
    source_id = _identifier(payload) or url
    if not source_id:
        raise NormalizeError("missing_identity", "the JobPosting has neither an identifier nor a URL")
    language = _language(payload, item, title, description_text)

    salary = parse_base_salary(payload.get("baseSalary")) or parse_base_salary(payload.get("estimatedSalary"))

    work_hours = html_to_text(payload["workHours"]) if isinstance(payload.get("workHours"), str) else ""
    hours = parse_hours_per_week(work_hours) if work_hours else None  # else the builder reads the description

    text_for_tags = "\n".join(t for t in (title, description_text, work_hours) if t)
    employer = _employer(payload)
    return build_listing(
        item,
        payload,
        source_id=source_id,
        title=title,
        url=url,
        apply_url=_absolute(payload.get("directApply") if isinstance(payload.get("directApply"), str) else None),
        description_html=description_html,
        description_text=description_text,
        employer=employer["name"],
        locations=normalize_locations(payload.get("jobLocation")),
        remote=detect_remote(payload, text_for_tags),
        employment_types=normalize_employment_types(payload.get("employmentType"), None),
        salary=salary,
        date_posted=payload.get("datePosted"),
        valid_through=payload.get("validThrough"),
        language=language,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=work_hours,
        hours=hours,
        remote_places=[payload.get("applicantLocationRequirements")],
    )
