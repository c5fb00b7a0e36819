"""Build a canonical listing, the same way for every kind of source.

Each normalizer (JSON-LD JobPosting, each ATS API) only maps its payload's names onto the
canonical fields; what the payload leaves open (pay, hours, employment type) is read from the
description here and supportive signals are tagged here, so every listing is judged by the
same rules. Identity lives here too: the listing id and the content hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

import orjson
import xxhash

from pipeline.canonical import Employer, HoursPerWeek, Listing, Location, Salary, Signal
from pipeline.employers.names import normalize_employer_name
from pipeline.errors import NormalizeError
from pipeline.fields.dates import to_utc_iso
from pipeline.fields.employment import normalize_employment_types
from pipeline.fields.hours import parse_hours_per_week
from pipeline.fields.remote_regions import remote_regions
from pipeline.fields.salary import salary_from_description
from pipeline.fields.seniority import experience_years_min, seniority
from pipeline.fields.suspicious import suspicious_reasons
from pipeline.signals.tagger import merge_signals, tag_structured, tag_text
from pipeline.text.language import detect_language
from pipeline.text.mojibake import repair_mojibake

# Bump when normalization changes, so every listing is re-normalized on the next load.
# 3: content hashes are xxh3-128 of orjson-serialized payloads; 4: remote_regions, seniority,
# experience_years_min and suspicious; 5: パート counts as PART_TIME only as a word; 6: title,
# description and employer stored with mojibake repaired.
NORMALIZER_VERSION = "6"


def listing_id(source: str, source_id: str) -> str:
    return hashlib.sha1(f"{source}\x1f{source_id}".encode()).hexdigest()[:20]


def _payload_bytes(payload: Any) -> bytes:
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    except (orjson.JSONEncodeError, TypeError):
        # Integers beyond 64 bits (which json.loads accepts) or other values orjson refuses.
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def payload_hash(payload: Any, url: str | None) -> str:
    """Identity of what the source said; unchanged payloads are not re-normalized or re-embedded.

    The payload is serialized with sorted keys (orjson) and hashed with 128-bit xxh3: the hash
    only tells content apart, it guards nothing, and this is ~3x cheaper than json.dumps + sha1
    on 5 KB payloads (the loader hashes every new item).
    """
    head = f"{NORMALIZER_VERSION}\x1f{url}\x1f".encode()
    return xxhash.xxh3_128_hexdigest(head + _payload_bytes(payload))


def text_or_none(value: Any) -> str | None:
    """A payload value as stripped text; None for missing, empty or boolean values."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def source_of(item: dict[str, Any]) -> str:
    source = text_or_none(item.get("source"))
    if not source:
        raise NormalizeError("missing_source", "the item does not name its source")
    return source


_TRUE = ("true", "yes", "1")


def url_or_none(value: Any) -> str | None:
    """A payload value that is an http(s) URL, else None."""
    text = text_or_none(value)
    return text if text and re.match(r"^https?://", text) else None


def flag(value: Any) -> bool:
    """A payload's yes/no value: True, or a string saying true/yes/1."""
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)


def payload_of(item: dict[str, Any]) -> dict[str, Any]:
    """The item's payload; an item whose payload is not a JSON object is quarantined."""
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise NormalizeError("payload_not_object", "the item's payload is not a JSON object")
    return payload


def mapping_of(value: Any) -> dict[str, Any]:
    """A payload value that is a JSON object, else an empty one (absent or malformed sections read as empty)."""
    return value if isinstance(value, dict) else {}


def company_name(item: dict[str, Any], *names: Any) -> str | None:
    """The employer's name: the payload's, else the one the source names, else the board token."""
    for name in (*names, item.get("company"), item.get("board")):
        text = text_or_none(name)
        if text:
            return text
    return None


def tagged_text(title: str | None, description_text: str | None, extra_text: str = "") -> str:
    """The text the signal tagger reads: the title, the description, then the source's own hours or
    location text (kept only in the raw run)."""
    return "\n".join(t for t in (title, description_text, extra_text) if t)


def text_signals(text: str, language: str | None) -> list[Signal]:
    """The signals a listing's text raises: tagged in the listing's language when the tagger reads
    it, else in the language the tagger detects. The load and `ippo retag` both tag through here."""
    return tag_text(text, language if language in ("ja", "en") else None)


def _employer(name: str | None) -> Employer:
    return Employer(name=name, normalized_name=normalize_employer_name(name) if name else None, registry_tags=[])


def build_listing(
    item: dict[str, Any],
    payload: dict[str, Any],
    *,
    source_id: str,
    title: str | None,
    url: str | None,
    apply_url: str | None,
    description_html: str | None,
    description_text: str,
    employer: str | None,
    locations: list[Location],
    remote: str | None,
    employment_types: list[str],
    salary: Salary | None,
    date_posted: Any,
    valid_through: Any,
    language: str | None,
    content_hash: str,
    extra_text: str = "",
    extra_signals: list[Signal] | None = None,
    hours: HoursPerWeek | None = None,
    remote_places: Sequence[object] = (),
) -> Listing:
    """The canonical listing from the fields a normalizer mapped; what they leave open is read
    from the description here, the same way for every source (pay, hours, employment type), and
    supportive signals are tagged here.

    ``remote_places`` are the payload's own statements of where a remote job may be done from
    (schema.org ``applicantLocationRequirements``, ATS location strings such as "Remote - US");
    the description is read for them only when these say nothing."""
    source = source_of(item)
    if not title:
        raise NormalizeError("missing_title", f"the {item.get('kind')} payload has no title")
    # Text some feeds serve as UTF-8 read as Latin-1 ("Ã¢Â€Â™") is stored and shown repaired.
    title, description_text = repair_mojibake(title), repair_mojibake(description_text)
    description_html = repair_mojibake(description_html) if description_html else description_html
    employer = repair_mojibake(employer) if employer else employer
    language = (language or "").split("-")[0].lower() or detect_language(f"{title}\n{description_text}")
    text_for_tags = tagged_text(title, description_text, extra_text)
    # Pay from the payload's own fields first; else only from a line of the description that
    # starts with a pay label ("Salary:", 【給与】), never from prose that mentions money
    # ("Series A raise of $17.2M").
    if salary is None and description_text:
        salary = salary_from_description(description_text, default_currency="JPY" if language == "ja" else None)
    if hours is None and description_text:
        hours = parse_hours_per_week(description_text)
    if not employment_types:
        employment_types = normalize_employment_types(None, f"{title}\n{description_text[:3000]}")
    mode = remote if remote in ("onsite", "hybrid", "remote") else None
    signals = merge_signals(tag_structured(payload), extra_signals or [], text_signals(text_for_tags, language))
    return Listing(
        id=listing_id(source, source_id),
        source=source,
        source_id=source_id,
        url=url,
        apply_url=apply_url or url,
        title=title,
        description_text=description_text,
        description_html=description_html,
        language=language,
        employer=_employer(employer),
        locations=locations,
        remote=mode,  # type: ignore[typeddict-item]
        employment_types=employment_types,
        hours_per_week=hours,
        salary=salary,
        date_posted=to_utc_iso(date_posted),
        valid_through=to_utc_iso(valid_through),
        first_seen=None,
        last_seen=None,
        status="open",
        occupation=None,
        signals=signals,
        supportiveness=0.0,
        content_hash=content_hash,
        duplicate_of=None,
        remote_regions=remote_regions(mode, remote_places, description_text),
        seniority=seniority(title, description_text),
        experience_years_min=experience_years_min(description_text),
        suspicious=suspicious_reasons("\n".join(t for t in (title, description_text, extra_text) if t)),
    )
