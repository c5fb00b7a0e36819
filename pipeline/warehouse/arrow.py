"""Canonical listings <-> Arrow tables with the warehouse's exact column types.

Bulk writes go through Arrow (DuckDB reads it without copying); an explicit schema keeps
empty lists and all-null batches typed correctly.
"""

from __future__ import annotations

import types
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pyarrow as pa

from pipeline.canonical import STORED_AS_TIMESTAMP, Listing, ServingListing

_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), float: pa.float64(), int: pa.int64(), bool: pa.bool_()}


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a field declared in pipeline.canonical: TypedDicts become structs,
    lists lists, ``X | None`` a nullable X, string Literals strings, IsoTimestamp timestamps."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *marks = get_args(annotation)
        return pa.timestamp("us") if STORED_AS_TIMESTAMP in marks else arrow_type(base)
    if origin in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"{annotation!r}: a canonical field may be one type or None, not a union of types")
        return arrow_type(kinds[0])
    if origin is Literal and all(isinstance(v, str) for v in get_args(annotation)):
        return pa.string()
    if origin is list:
        return pa.list_(arrow_type(get_args(annotation)[0]))
    if is_typeddict(annotation):
        return pa.struct([(name, arrow_type(kind)) for name, kind in _fields(annotation).items()])
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"{annotation!r}: no Arrow type for this canonical field type; add it to arrow_type")


def _fields(typed: Any) -> dict[str, Any]:
    return get_type_hints(typed, include_extras=True)


# Columns the warehouse keeps beside the canonical listing (the loader fills them), each placed
# after the canonical field named here, as in schema/0001_init.sql.
_LOADER_ONLY = {"status": ("closed_reason", pa.string()), "duplicate_of": ("raw_run", pa.string())}


def _listing_schema() -> pa.Schema:
    columns = []
    for name, kind in _fields(Listing).items():
        columns.append((name, arrow_type(kind)))
        if name in _LOADER_ONLY:
            columns.append(_LOADER_ONLY[name])
    return pa.schema(columns)


# The warehouse's listings table, column by column (the loader inserts by position).
LISTING_SCHEMA = _listing_schema()
REGISTRY_TAGS_TYPE = LISTING_SCHEMA.field("employer").type.field("registry_tags").type
# What a serving snapshot adds to each listing (pipeline.warehouse.serving_columns).
SERVING_FIELDS = pa.schema(
    [(name, arrow_type(kind)) for name, kind in _fields(ServingListing).items() if name not in _fields(Listing)]
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
