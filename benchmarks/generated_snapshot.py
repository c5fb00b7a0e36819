"""Write GENERATED listings (benchmarks.synthetic) as a serving snapshot through the same
writer as ``ippo publish`` (pipeline.warehouse.snapshot), with the warehouse's listing columns,
so the benchmark and the API tests exercise the real loading path. Only the rows are made here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.warehouse.arrow import LISTING_SCHEMA
from pipeline.warehouse.snapshot import Enricher, Filler
from pipeline.warehouse.snapshot import write_snapshot as write_serving_snapshot


def listing_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Generated rows (serving shape: ``description``) as a table of the warehouse's listing
    columns; columns the generator does not fill are NULL."""
    listings = [{**row, "description_text": row.get("description"), "source": row.get("source") or "generated"}
                for row in rows]
    return pa.Table.from_pylist(listings, schema=LISTING_SCHEMA)


def _fill_listings(rows: list[dict[str, Any]]) -> Filler:
    def fill(building: Path) -> None:
        con = duckdb.connect(str(building))
        try:
            con.register("generated", listing_table(rows))
            con.execute("CREATE TABLE listings AS SELECT * FROM generated")
            con.unregister("generated")
        finally:
            con.close()

    return fill


def _add_vectors(ids: list[str], vectors: np.ndarray) -> Enricher:
    def add(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
        embeddings = pa.table({
            "listing_id": ids,
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), type=pa.float32()),
                                                        vectors.shape[1]),
        })
        con.register("vectors", embeddings)
        con.execute("CREATE TABLE embeddings AS SELECT * FROM vectors")
        con.unregister("vectors")
        return {}

    return add


def write_snapshot(rows: list[dict[str, Any]], vectors: np.ndarray | None, serving_dir: Path,
                   version: str | None = None) -> Path:
    enrichers = [] if vectors is None else [_add_vectors([r["id"] for r in rows], vectors)]
    written = write_serving_snapshot(serving_dir, _fill_listings(rows), enrichers, version=version,
                                     extra={"generated": True})
    return written.path
