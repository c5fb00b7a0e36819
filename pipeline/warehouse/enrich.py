"""Batch steps after per-item normalization: the ones that need a model or an index loaded once.

Order matters: registry tags first (they are employer signals), then supportiveness, which
reads both the listing's own signals and the employer's registry tags. Occupations are
independent of both.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

import pipeline.signals.supportiveness as supportiveness
from ippo.config import DEFAULT_DENSE_VIEW, DenseView
from pipeline.canonical import Listing, Occupation, Signal
from pipeline.employers.matching import RegistryIndex, registry_signals
from pipeline.employers.names import is_valid_corporate_number, normalize_corporate_number, normalize_employer_name
from pipeline.employers.records import RECORD_FIELDS, RegistryRecord
from pipeline.errors import NormalizeError


def enrich_listings(
    listings: list[Listing],
    index: RegistryIndex | None = None,
    occupations: bool = False,
    dense_view: DenseView = DEFAULT_DENSE_VIEW,
) -> None:
    """Registry tags (when an index is given), occupations (when asked) and supportiveness, in place."""
    if index is not None and len(index):
        for listing, tags in zip(listings, registry_tags_many(index, listings), strict=True):
            listing["employer"]["registry_tags"] = tags
    if occupations:
        for listing, occupation in zip(listings, classify_occupations(listings, dense_view), strict=True):
            listing["occupation"] = occupation
    for listing in listings:
        listing["supportiveness"] = support_score(listing["signals"], listing["employer"]["registry_tags"])


def support_score(signals: Sequence[Signal], registry_tags: Sequence[Signal]) -> float:
    return supportiveness.score([*signals, *registry_tags])


# --- registry tags ------------------------------------------------------------------------------


def _place(locations: Any) -> tuple[str | None, str | None]:
    """(prefecture or region, country) of a listing's first place: what the matcher can check."""
    for loc in locations or ():
        if isinstance(loc, Mapping) and (loc.get("region") or loc.get("country")):
            return loc.get("region"), loc.get("country")
    return None, None


def registry_tags_for(
    index: RegistryIndex, names: Sequence[str | None], locations: Sequence[Any]
) -> list[list[Signal]]:
    """Employer registry tags for each (employer name, locations), matched in one batch."""
    places = [_place(locs) for locs in locations]
    matches = index.match_many(
        [n or "" for n in names], None, [p[0] for p in places], [p[1] for p in places]
    )
    return [registry_signals(m) for m in matches]


def registry_tags_many(index: RegistryIndex, listings: Sequence[Listing]) -> list[list[Signal]]:
    return registry_tags_for(
        index, [item["employer"]["name"] for item in listings], [item["locations"] for item in listings]
    )


def registry_record_from_payload(payload: Any) -> RegistryRecord:
    """A raw item's payload -> a registry record (as pipeline.employers.records makes them), or NormalizeError."""
    if not isinstance(payload, Mapping):
        raise NormalizeError("payload_not_object", "the registry_record item's payload is not a JSON object")
    registry, tag, name = (str(payload.get(k) or "").strip() for k in ("registry", "tag", "employer_name"))
    if not registry or not tag or not name:
        missing = [k for k, v in (("registry", registry), ("tag", tag), ("employer_name", name)) if not v]
        raise NormalizeError("registry_record_incomplete", f"the registry record has no {', '.join(missing)}")
    record: dict[str, Any] = {"registry": registry, "tag": tag, "employer_name": name}
    for key in RECORD_FIELDS:
        if key != "employer_name":
            value = payload.get(key)
            record[key] = str(value).strip() if value not in (None, "") else None
    number = normalize_corporate_number(record.get("corporate_number"))
    record["corporate_number"] = number if number and is_valid_corporate_number(number) else None
    record["normalized_name"] = str(payload.get("normalized_name") or "") or normalize_employer_name(name)
    record["evidence"] = str(payload.get("evidence") or "").strip() or f"{registry}: {name}"
    return record  # type: ignore[return-value]


def entity_key(record: Mapping[str, Any]) -> str:
    """One employer in one registry: its 法人番号 when known, else its normalized name."""
    number = record.get("corporate_number")
    return f"cn:{number}" if number else f"name:{record.get('normalized_name') or record.get('employer_name')}"


def record_hash(record: Mapping[str, Any]) -> str:
    blob = json.dumps({k: record.get(k) for k in (*RECORD_FIELDS, "registry", "tag", "evidence")},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(blob.encode()).hexdigest()


# --- occupations --------------------------------------------------------------------------------


def classify_occupations(
    listings: Sequence[Listing], dense_view: DenseView = DEFAULT_DENSE_VIEW
) -> list[Occupation | None]:
    """Occupation of each listing via pipeline.occupations, each distinct (title, language) classified once.

    Listings of the same title and language are the same occupation in practice; the first one's
    description stands for the group, which keeps a load of many near-identical listings fast.
    """
    from pipeline.occupations import classify_listings

    slot_of: dict[tuple[str, str | None], int] = {}
    rows: list[tuple[str, str | None, str | None]] = []
    slots = []
    for item in listings:
        key = (item["title"], item.get("language"))
        if key not in slot_of:
            slot_of[key] = len(rows)
            rows.append((item["title"], item.get("description_text"), item.get("language")))
        slots.append(slot_of[key])
    if not rows:
        return []
    with _title_vector_cache(dense_view):
        found = classify_listings(rows, dense_view=dense_view)
    return [found[s] for s in slots]


def _title_vector_cache(dense_view: DenseView) -> contextlib.AbstractContextManager[object]:
    """Listing titles' sentence vectors are kept across loads in the dense view's cache folder
    (public text only; see pipeline.occupations.title_vectors)."""
    if not dense_view.enabled or dense_view.cache_dir is None:
        return contextlib.nullcontext()
    from pipeline.occupations import title_vectors

    return title_vectors.active(dense_view.model, dense_view.cache_dir / title_vectors.FILE_NAME)


# --- the same steps on an Arrow table of listings (the loader's form) ----------------------------


def enrich_table(
    table: pa.Table,
    index: RegistryIndex | None = None,
    occupations: bool = False,
    dense_view: DenseView = DEFAULT_DENSE_VIEW,
) -> pa.Table:
    """enrich_listings for listings already in Arrow form (pipeline.warehouse.arrow schema).

    Supportiveness was scored from the listings' own signals when they were built; only the
    listings that get registry tags are rescored. Only the columns a step needs are read into
    Python: employer names and places for registry matching, titles and descriptions for
    occupations.
    """
    if table.num_rows == 0:
        return table
    if index is not None and len(index):
        names = pc.struct_field(table["employer"], "name").to_pylist()
        tags = registry_tags_for(index, names, table["locations"].to_pylist())
        if any(tags):
            employer = table["employer"].combine_chunks()
            tags_array = pa.array(tags, employer.type.field("registry_tags").type)
            new_employer = pa.StructArray.from_arrays(
                [employer.field("name"), employer.field("normalized_name"), tags_array],
                fields=list(employer.type), mask=employer.is_null(),
            )
            scores = table["supportiveness"].to_pylist()
            signals = table["signals"].to_pylist()
            for row, row_tags in enumerate(tags):
                if row_tags:
                    scores[row] = support_score(signals[row] or [], row_tags)
            table = _replace(table, "employer", new_employer)
            table = _replace(table, "supportiveness", pa.array(scores, pa.float64()))
    if occupations:
        rows = [{"title": t, "description_text": d, "language": lang} for t, d, lang in zip(
            table["title"].to_pylist(), table["description_text"].to_pylist(), table["language"].to_pylist(),
            strict=True)]
        found = classify_occupations(rows, dense_view)  # type: ignore[arg-type]
        table = _replace(table, "occupation", pa.array(found, table.schema.field("occupation").type))
    return table


def _replace(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), table.schema.field(name), values)
