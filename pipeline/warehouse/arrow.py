"""Canonical listings <-> Arrow tables with the warehouse's exact column types.

Bulk writes go through Arrow (DuckDB reads it without copying); an explicit schema keeps
empty lists and all-null batches typed correctly.
"""

from __future__ import annotations

from datetime import UTC, datetime

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


# Columns the loader fills in itself, not the normalizers.
_LOADER_COLUMNS = ("first_seen", "last_seen", "closed_reason", "raw_run")
_TIMESTAMP_COLUMNS = ("date_posted", "valid_through")


def listings_to_batch(listings: list[Listing]) -> pa.RecordBatch:
    """Normalized listings -> one Arrow record batch with the warehouse's column types.

    Built column by column (about twice as fast as ``from_pylist`` on rows), in the
    normalizing processes, so the loader receives compact Arrow buffers instead of pickled
    dicts. first_seen, last_seen, closed_reason and raw_run are left empty for the loader.
    Raises pyarrow's ArrowInvalid/ArrowTypeError when a value does not fit its column.
    """
    arrays = []
    for column in LISTING_SCHEMA:
        name = column.name
        if name in _LOADER_COLUMNS:
            arrays.append(pa.nulls(len(listings), column.type))
        elif name in _TIMESTAMP_COLUMNS:
            arrays.append(pa.array([_ts(item.get(name)) for item in listings], column.type))  # type: ignore[arg-type]
        else:
            arrays.append(pa.array([item.get(name) for item in listings], column.type))
    return pa.RecordBatch.from_arrays(arrays, schema=LISTING_SCHEMA)
