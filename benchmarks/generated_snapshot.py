"""Write GENERATED listings (benchmarks.synthetic) as a serving snapshot, the same file layout
``ippo publish`` produces (listings, embeddings, snapshot_meta, serving/current.json), so the
benchmark and the API tests exercise the real loading path."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.warehouse.publish import POINTER

_SIGNAL = pa.struct([("tag", pa.string()), ("evidence", pa.string()), ("source", pa.string())])
SCHEMA = pa.schema([
    ("id", pa.string()), ("title", pa.string()), ("url", pa.string()), ("apply_url", pa.string()),
    ("employer", pa.struct([("name", pa.string()), ("normalized_name", pa.string()),
                            ("registry_tags", pa.list_(_SIGNAL))])),
    ("locations", pa.list_(pa.struct([("country", pa.string()), ("region", pa.string()),
                                      ("locality", pa.string()), ("postal_code", pa.string())]))),
    ("remote", pa.string()), ("employment_types", pa.list_(pa.string())),
    ("hours_per_week", pa.struct([("min", pa.float64()), ("max", pa.float64())])),
    ("salary", pa.struct([("min", pa.float64()), ("max", pa.float64()), ("currency", pa.string()),
                          ("unit", pa.string()), ("text", pa.string())])),
    ("valid_through", pa.timestamp("us")), ("status", pa.string()), ("signals", pa.list_(_SIGNAL)),
    ("supportiveness", pa.float64()), ("language", pa.string()),
    ("occupation", pa.struct([("taxonomy", pa.string()), ("code", pa.string()), ("title", pa.string()),
                              ("confidence", pa.float64())])),
    ("duplicate_of", pa.string()), ("description", pa.string()),
])


def write_snapshot(rows: list[dict[str, Any]], vectors: np.ndarray | None, serving_dir: Path,
                   version: str | None = None) -> Path:
    serving_dir.mkdir(parents=True, exist_ok=True)
    version = version or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = serving_dir / f"{version}.duckdb"
    path.unlink(missing_ok=True)
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    con = duckdb.connect(str(path))
    try:
        con.register("generated", table)
        con.execute("CREATE TABLE listings AS SELECT * EXCLUDE (description), description AS description_text, "
                    "'generated' AS source FROM generated")
        con.unregister("generated")
        if vectors is not None:
            embeddings = pa.table({
                "listing_id": [r["id"] for r in rows],
                "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), type=pa.float32()),
                                                            vectors.shape[1]),
            })
            con.register("vectors", embeddings)
            con.execute("CREATE TABLE embeddings AS SELECT * FROM vectors")
            con.unregister("vectors")
        con.execute("CREATE TABLE snapshot_meta AS SELECT ? AS version, ? AS published_at, ? AS extra",
                    [version, datetime.now(UTC).replace(tzinfo=None), json.dumps({"generated": True})])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp = serving_dir / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"file": path.name, "version": version}), encoding="utf-8")
    os.replace(tmp, serving_dir / POINTER)
    return path
