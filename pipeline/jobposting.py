"""Turn one raw schema.org JobPosting item into a canonical listing.

Structured fields are read first; free text fills only what the structure leaves empty
(hours, remote, employment type). Registry tags, occupations and
supportiveness are added by the loader in batch, after this per-item step.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pipeline.canonical import Employer, Listing
from pipeline.dates import to_utc_iso
from pipeline.employers import normalize_employer_name, split_composite_name
from pipeline.employment import normalize_employment_types
from pipeline.errors import NormalizeError
from pipeline.hours import parse_hours_per_week
from pipeline.language import detect_language
from pipeline.location import normalize_locations
from pipeline.remote import detect_remote
from pipeline.salary import parse_base_salary, salary_from_description
from pipeline.signals import merge_signals, tag_structured, tag_text
from pipeline.textnorm import html_to_text

# Bump when normalization changes, so every listing is re-normalized on the next load.
NORMALIZER_VERSION = "2"



def listing_id(source: str, source_id: str) -> str:
    return hashlib.sha1(f"{source}\x1f{source_id}".encode()).hexdigest()[:20]


def payload_hash(payload: Any, url: str | None) -> str:
    """Identity of what the source said; unchanged payloads are not re-normalized or re-embedded."""
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(f"{NORMALIZER_VERSION}\x1f{url}\x1f{blob}".encode()).hexdigest()


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


def normalize_jobposting(item: dict[str, Any]) -> Listing:
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
    if salary is None and description_text:  # only a labelled pay line, see salary_from_description
        salary = salary_from_description(description_text, default_currency="JPY" if language == "ja" else None)

    work_hours = html_to_text(payload["workHours"]) if isinstance(payload.get("workHours"), str) else ""
    hours = parse_hours_per_week(work_hours) if work_hours else None
    if hours is None and description_text:
        hours = parse_hours_per_week(description_text)

    text_for_tags = "\n".join(t for t in (title, description_text, work_hours) if t)
    # The text tagger knows Japanese and English; for other languages it detects on its own.
    signals = merge_signals(
        tag_structured(payload), tag_text(text_for_tags, language if language in ("ja", "en") else None)
    )
    employment_types = normalize_employment_types(payload.get("employmentType"), None)
    if not employment_types:
        employment_types = normalize_employment_types(None, f"{title}\n{description_text[:3000]}")

    return Listing(
        id=listing_id(source, source_id),
        source=source,
        source_id=source_id,
        url=url,
        apply_url=_absolute(payload.get("directApply") if isinstance(payload.get("directApply"), str) else None)
        or url,
        title=title,
        description_text=description_text,
        description_html=description_html,
        language=language,
        employer=_employer(payload),
        locations=normalize_locations(payload.get("jobLocation")),
        remote=detect_remote(payload, text_for_tags),
        employment_types=employment_types,
        hours_per_week=hours,
        salary=salary,
        date_posted=to_utc_iso(payload.get("datePosted")),
        valid_through=to_utc_iso(payload.get("validThrough")),
        first_seen=None,
        last_seen=None,
        status="open",
        occupation=None,
        signals=signals,
        supportiveness=0.0,
        content_hash=payload_hash(payload, url),
        duplicate_of=None,
    )
