"""Canonical listings <-> Arrow tables with the warehouse's exact column types.

Bulk writes go through Arrow (DuckDB reads it without copying); an explicit schema keeps
empty lists and all-null batches typed correctly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipeline.canonical import Listing

_SIGNAL = pa.struct([("tag", pa.string()), ("evidence", pa.string()), ("source", pa.string())])
_TS = pa.timestamp("us")
REGISTRY_TAGS_TYPE = pa.list_(_SIGNAL)

LISTING_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("url", pa.string()),
        ("apply_url", pa.string()),
        ("title", pa.string()),
        ("description_text", pa.string()),
        ("description_html", pa.string()),
        ("language", pa.string()),
        ("employer", pa.struct([("name", pa.string()), ("normalized_name", pa.string()),
                                ("registry_tags", pa.list_(_SIGNAL))])),
        ("locations", pa.list_(pa.struct([("country", pa.string()), ("region", pa.string()),
                                          ("locality", pa.string()), ("postal_code", pa.string())]))),
        ("remote", pa.string()),
        ("employment_types", pa.list_(pa.string())),
        ("hours_per_week", pa.struct([("min", pa.float64()), ("max", pa.float64())])),
        ("salary", pa.struct([("min", pa.float64()), ("max", pa.float64()), ("currency", pa.string()),
                              ("unit", pa.string()), ("text", pa.string())])),
        ("date_posted", _TS),
        ("valid_through", _TS),
        ("first_seen", _TS),
        ("last_seen", _TS),
        ("status", pa.string()),
        ("closed_reason", pa.string()),
        ("occupation", pa.struct([("taxonomy", pa.string()), ("code", pa.string()), ("title", pa.string()),
                                  ("confidence", pa.float64())])),
        ("signals", pa.list_(_SIGNAL)),
        ("supportiveness", pa.float64()),
        ("content_hash", pa.string()),
        ("duplicate_of", pa.string()),
        ("raw_run", pa.string()),
    ]
)
LISTING_COLUMNS = LISTING_SCHEMA.names


def _ts(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def listing_row(listing: Listing, now: datetime, raw_run: str | None) -> dict[str, Any]:
    row: dict[str, Any] = dict(listing)
    row["date_posted"] = _ts(listing.get("date_posted"))
    row["valid_through"] = _ts(listing.get("valid_through"))
    row["first_seen"] = _ts(listing.get("first_seen")) or now
    row["last_seen"] = now
    row["closed_reason"] = None
    row["raw_run"] = raw_run
    return row


def listings_to_arrow(listings: list[Listing], now: datetime, origin: dict[str, str]) -> pa.Table:
    rows = [listing_row(item, now, origin.get(item["id"])) for item in listings]
    return pa.Table.from_pylist(rows, schema=LISTING_SCHEMA)
