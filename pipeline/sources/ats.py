"""Canonical listings from ATS and job-board API payloads (Greenhouse, Lever, Ashby, USAJOBS,
Remote OK): one ``identify`` and one ``normalize`` per item kind the crawlers write.

Each API names the same facts differently; this module only maps the names. The parsing of
pay, hours, places, dates, employment types, remote work and supportive signals is the shared
code of the pipeline (pipeline.fields.salary, .hours, .location, .dates, .employment, .remote,
.signals), so a Greenhouse listing and a JSON-LD page are judged by the same rules.

Identity: a listing is (source, the API's own job id). The content hash is taken over the whole
payload, except for Greenhouse, whose crawler sends only the list entry for a job whose
``updated_at`` has not moved since the last run; there the hash is (id, updated_at), so that
light item counts as "seen, unchanged" instead of overwriting the full text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from pipeline.canonical import Listing, Location, Salary, Signal
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.fields.salary import infer_unit, parse_base_salary, parse_salary_text
from pipeline.sources.build import build_listing, listing_id, payload_hash, source_of
from pipeline.sources.build import text_or_none as _str  # the builder's reading of a payload value
from pipeline.text.normalize import html_to_text, unescape_markup

_TRUE = ("true", "yes", "1")


def _url(value: Any) -> str | None:
    text = _str(value)
    return text if text and re.match(r"^https?://", text) else None


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)


def _payload(item: dict[str, Any]) -> dict[str, Any]:
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise NormalizeError("payload_not_object", "the item's payload is not a JSON object")
    return payload


def _company(item: dict[str, Any], *names: Any) -> str | None:
    """The employer's name: the payload's, else the one the source names, else the board token."""
    for name in (*names, item.get("company"), item.get("board")):
        text = _str(name)
        if text:
            return text
    return None


# --- Greenhouse ------------------------------------------------------------------------------


def _greenhouse_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = _payload(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Greenhouse job has no id")
    return job_id, _url(payload.get("absolute_url")), payload


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
    location = payload.get("location") if isinstance(payload.get("location"), dict) else {}
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
        employer=_company(item, payload.get("company_name")),
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
    )


# --- Lever -----------------------------------------------------------------------------------


def _lever_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = _payload(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Lever posting has no id")
    return job_id, _url(payload.get("hostedUrl")), payload


def identify_lever(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _lever_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def normalize_lever(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _lever_ids(item)
    categories = payload.get("categories") if isinstance(payload.get("categories"), dict) else {}
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
        apply_url=_url(payload.get("applyUrl")),
        description_html=description_html,
        description_text=description_text,
        employer=_company(item),
        locations=locations,
        remote=detect_remote(payload, _str(categories.get("location"))),
        employment_types=normalize_employment_types(categories.get("commitment")),
        salary=salary,
        date_posted=payload.get("createdAt"),
        valid_through=None,
        language=None,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=f"{categories.get('commitment') or ''}\n{payload.get('salaryDescriptionPlain') or ''}",
    )


# --- Ashby -----------------------------------------------------------------------------------


def _ashby_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = _payload(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Ashby job has no id")
    return job_id, _url(payload.get("jobUrl")), payload


def identify_ashby(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _ashby_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def _ashby_salary(payload: dict[str, Any]) -> Salary | None:
    compensation = payload.get("compensation") if isinstance(payload.get("compensation"), dict) else {}
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
        apply_url=_url(payload.get("applyUrl")),
        description_html=description_html,
        description_text=description_text,
        employer=_company(item, payload.get("organizationName")),
        locations=normalize_locations(places, _str(payload.get("location"))),
        remote=detect_remote(payload, _str(payload.get("location"))),
        employment_types=normalize_employment_types(payload.get("employmentType")),
        salary=_ashby_salary(payload),
        date_posted=payload.get("publishedAt"),
        valid_through=None,
        language=None,
        content_hash=content_hash or payload_hash(payload, url),
        extra_text=_str(payload.get("location")) or "",
    )


# --- USAJOBS ---------------------------------------------------------------------------------


def _usajobs_ids(item: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    payload = _payload(item)
    descriptor = payload.get("MatchedObjectDescriptor")
    if not isinstance(descriptor, dict):
        raise NormalizeError("payload_not_object", "the USAJOBS result has no MatchedObjectDescriptor object")
    job_id = _str(payload.get("MatchedObjectId")) or _str(descriptor.get("PositionID"))
    if not job_id:
        raise NormalizeError("missing_identity", "the USAJOBS result has no MatchedObjectId")
    return job_id, descriptor, payload


def identify_usajobs(item: dict[str, Any]) -> tuple[str, str]:
    job_id, descriptor, payload = _usajobs_ids(item)
    # RelevanceRank moves with every search; it says nothing about the job.
    stable = {k: v for k, v in payload.items() if k != "RelevanceRank"}
    return listing_id(source_of(item), job_id), payload_hash(stable, _url(descriptor.get("PositionURI")))


def usajobs_hiring_paths(descriptor: dict[str, Any]) -> list[str]:
    """HiringPath codes as the search API writes them (lower case: "public", "disability")."""
    details = (descriptor.get("UserArea") or {}).get("Details") or {}
    paths = details.get("HiringPath") if isinstance(details, dict) else None
    if isinstance(paths, str):
        paths = [paths]
    return [str(p).strip().lower() for p in paths or [] if str(p).strip()]


def normalize_usajobs(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, descriptor, payload = _usajobs_ids(item)
    details = (descriptor.get("UserArea") or {}).get("Details") or {}
    if not isinstance(details, dict):
        details = {}
    duties = details.get("MajorDuties")
    duties_text = "\n".join(str(d) for d in duties) if isinstance(duties, list) else _str(duties) or ""
    sections = [
        ("Summary", _str(details.get("JobSummary"))),
        ("Duties", duties_text),
        ("Qualifications", _str(descriptor.get("QualificationSummary"))),
        ("Education", _str(details.get("Education"))),
        ("Requirements", _str(details.get("Requirements"))),
        ("Benefits", _str(details.get("Benefits"))),
    ]
    description_text = "\n\n".join(f"{head}\n{body}" for head, body in sections if body)
    apply = descriptor.get("ApplyURI")
    apply_url = _url(apply[0]) if isinstance(apply, list) and apply else _url(apply)
    url = _url(descriptor.get("PositionURI"))
    if _flag(details.get("RemoteIndicator")):
        remote: str | None = "remote"
    elif _flag(details.get("TeleworkEligible")):
        remote = "hybrid"
    else:
        remote = detect_remote(None, description_text)
    extra: list[Signal] = []
    paths = usajobs_hiring_paths(descriptor)
    if "disability" in paths:
        extra.append(Signal(tag="disability_employment", evidence="HiringPath: disability", source="structured"))
    if _flag(details.get("TeleworkEligible")) or _flag(details.get("RemoteIndicator")):
        flag = "RemoteIndicator" if _flag(details.get("RemoteIndicator")) else "TeleworkEligible"
        extra.append(Signal(tag="remote_ok", evidence=f"{flag}: true", source="structured"))
    remuneration = descriptor.get("PositionRemuneration")
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(descriptor.get("PositionTitle")),
        url=url,
        apply_url=apply_url,
        description_html=None,
        description_text=description_text,
        employer=_str(descriptor.get("OrganizationName")) or _str(descriptor.get("DepartmentName")),
        locations=normalize_locations(
            descriptor.get("PositionLocation"), _str(descriptor.get("PositionLocationDisplay"))
        ),
        remote=remote,
        employment_types=normalize_employment_types(descriptor.get("PositionSchedule")),
        salary=parse_base_salary(remuneration, default_currency="USD"),
        date_posted=descriptor.get("PublicationStartDate"),
        valid_through=descriptor.get("ApplicationCloseDate"),
        language="en",
        content_hash=content_hash or identify_usajobs(item)[1],
        extra_signals=extra,
    )


# --- Remote OK -------------------------------------------------------------------------------


def _remoteok_ids(item: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    payload = _payload(item)
    job_id = _str(payload.get("id"))
    if not job_id:
        raise NormalizeError("missing_identity", "the Remote OK job has no id")
    return job_id, _url(payload.get("url")), payload


def identify_remoteok(item: dict[str, Any]) -> tuple[str, str]:
    job_id, url, payload = _remoteok_ids(item)
    return listing_id(source_of(item), job_id), payload_hash(payload, url)


def repair_mojibake(text: str | None) -> str | None:
    """Undo UTF-8 read as Latin-1 ("GdaÅ\x84sk" -> "Gdańsk"), as some feeds serve place names."""
    if not text or not re.search(r"[\u00c2-\u00f4][\u0080-\u00bf]", text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def normalize_remoteok(item: dict[str, Any], content_hash: str | None = None) -> Listing:
    job_id, url, payload = _remoteok_ids(item)
    description_html = payload.get("description") if isinstance(payload.get("description"), str) else None
    description_text = html_to_text(description_html) if description_html else ""
    low, high = _number(payload.get("salary_min")), _number(payload.get("salary_max"))
    # Remote OK states pay in US dollars, 0 meaning "not given"; mostly yearly, but a few
    # posters write an hourly rate (30, 80): below 1,000 dollars a year is not a salary.
    unit = infer_unit(low, high, "USD") or ("HOUR" if max(low or 0, high or 0) < 1000 else "YEAR")
    salary = Salary(min=low, max=high, currency="USD", unit=unit, text=None) if low or high else None
    tags = [str(t) for t in payload.get("tags") or [] if isinstance(t, str | int)]
    location = repair_mojibake(_str(payload.get("location")))
    return build_listing(
        item,
        payload,
        source_id=job_id,
        title=_str(payload.get("position")),
        url=url,
        apply_url=_url(payload.get("apply_url")),
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
    )


Identify = Callable[[dict[str, Any]], tuple[str, str]]
Normalize = Callable[..., Listing]  # (item, content_hash=None): the hash identify() gave, if known

# kind -> (identify, normalize); registered in pipeline/sources/kinds.py.
ATS_KINDS: dict[str, tuple[Identify, Normalize]] = {
    "greenhouse_job": (identify_greenhouse, normalize_greenhouse),
    "lever_posting": (identify_lever, normalize_lever),
    "ashby_job": (identify_ashby, normalize_ashby),
    "usajobs_job": (identify_usajobs, normalize_usajobs),
    "remoteok_job": (identify_remoteok, normalize_remoteok),
}
