"""USAJOBS search API results (``usajobs_job`` items) as canonical listings; identity is the position id."""

from __future__ import annotations

from typing import Any

from pipeline.canonical import Listing, Signal
from pipeline.errors import NormalizeError
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.location import normalize_locations
from pipeline.fields.remote import detect_remote
from pipeline.fields.salary import parse_base_salary
from pipeline.sources.build import (
    build_listing,
    flag,
    listing_id,
    payload_hash,
    payload_of,
    source_of,
    url_or_none,
)
from pipeline.sources.build import text_or_none as _str  # the builder's reading of a payload value


def _usajobs_ids(item: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    payload = payload_of(item)
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
    return listing_id(source_of(item), job_id), payload_hash(stable, url_or_none(descriptor.get("PositionURI")))


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
    apply_url = url_or_none(apply[0]) if isinstance(apply, list) and apply else url_or_none(apply)
    url = url_or_none(descriptor.get("PositionURI"))
    if flag(details.get("RemoteIndicator")):
        remote: str | None = "remote"
    elif flag(details.get("TeleworkEligible")):
        remote = "hybrid"
    else:
        remote = detect_remote(None, description_text)
    extra: list[Signal] = []
    paths = usajobs_hiring_paths(descriptor)
    if "disability" in paths:
        extra.append(Signal(tag="disability_employment", evidence="HiringPath: disability", source="structured"))
    if flag(details.get("TeleworkEligible")) or flag(details.get("RemoteIndicator")):
        field = "RemoteIndicator" if flag(details.get("RemoteIndicator")) else "TeleworkEligible"
        extra.append(Signal(tag="remote_ok", evidence=f"{field}: true", source="structured"))
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
        remote_places=[_str(descriptor.get("PositionLocationDisplay")) or ""],
    )
