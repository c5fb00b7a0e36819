"""Remote OK API (``remoteok_job`` items) as canonical listings; identity is the job id."""

from __future__ import annotations

from typing import Any

from pipeline.canonical import Listing, Salary
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.salary import infer_unit
from pipeline.sources.build import (
    build_listing,
    listing_id,
    payload_hash,
    payload_of,
    source_of,
    url_or_none,
)
from pipeline.sources.build import text_or_none as _str  # the builder's reading of a payload value
from pipeline.text.mojibake import repair_mojibake
from pipeline.text.normalize import html_to_text


def _remoteok_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = payload_of(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Remote OK job has no id")
    return job_id, url_or_none(payload.get("url")), payload


def identify_remoteok(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _remoteok_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def normalize_remoteok(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _remoteok_ids(item)
    description_html = payload.get("description") if isinstance(payload.get("description"), str) else None
    # The feed serves most descriptions as UTF-8 read as Latin-1: repair the markup before it
    # becomes text (html_to_text's entities would leave the text half repaired, half broken).
    description_html = repair_mojibake(description_html) if description_html else None
    description_text = html_to_text(description_html) if description_html else ""
    low, high = _number(payload.get("salary_min")), _number(payload.get("salary_max"))
    # Remote OK states pay in US dollars, 0 meaning "not given"; mostly yearly, but a few
    # posters write an hourly rate (30, 80): below 1,000 dollars a year is not a salary.
    unit = infer_unit(low, high, "USD") or ("HOUR" if max(low or 0, high or 0) < 1000 else "YEAR")
    salary = Salary(min=low, max=high, currency="USD", unit=unit, text=None) if low or high else None
    tags = [str(t) for t in payload.get("tags") or [] if isinstance(t, str | int)]
    location = _str(payload.get("location"))
    location = repair_mojibake(location) if location else location
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(payload.get("position")),
        url=url,
        apply_url=url_or_none(payload.get("apply_url")),
        description_html=description_html,
        description_text=description_text,
        employer=_str(payload.get("company")),
        locations=normalize_locations(None, location) if location else [],
        remote="remote",
        employment_types=normalize_employment_types(None, " ".join(tags)),
        salary=salary,
        date_posted=payload.get("date") or payload.get("epoch"),
        valid_through=None,
        language=None,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=" ".join(tags),
        remote_places=[location or ""],
    )
