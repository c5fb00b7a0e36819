"""Embeddings of listings, computed once per (listing, content hash, model) and reused.

Publishing a snapshot calls ``add_embeddings``: vectors of unchanged listings come from the
cache file ($IPPO_HOME/embeddings.duckdb, written only by the publishing process); only new
or changed listings are encoded. The snapshot gets an ``embeddings`` table beside listings.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.embedding import Embedder

# What the bi-encoder reads of a listing: the title carries most of the meaning, the start of
# the description the rest (MiniLM reads at most 256 word pieces anyway).
_TEXT_SQL = """
    concat_ws(' . ', title, employer.name, left(coalesce(description_text, ''), 1200))
"""


def listing_texts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(f"SELECT id, content_hash, {_TEXT_SQL} FROM listings").fetchall()


class EmbeddingCache:
    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder

    def vectors_for(self, rows: list[tuple[str, str, str]]) -> tuple[np.ndarray, int]:
        """Vectors in the order of rows, and how many had to be encoded now."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path))
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS embeddings (listing_id VARCHAR, content_hash VARCHAR, model VARCHAR, "
                "vector FLOAT[], PRIMARY KEY (listing_id, content_hash, model))"
            )
            wanted = pa.table({"listing_id": [r[0] for r in rows], "content_hash": [r[1] for r in rows]})
            con.register("wanted", wanted)
            cached = con.execute(
                "SELECT e.listing_id, e.vector FROM embeddings e JOIN wanted w "
                "ON e.listing_id = w.listing_id AND e.content_hash = w.content_hash WHERE e.model = ?",
                [self.embedder.name],
            ).fetchall()
            con.unregister("wanted")
            found = {listing_id: vector for listing_id, vector in cached}
            missing = [r for r in rows if r[0] not in found]
            if missing:
                encoded = self.embedder.encode([r[2] for r in missing])
                new = pa.table(
                    {
                        "listing_id": [r[0] for r in missing],
                        "content_hash": [r[1] for r in missing],
                        "model": [self.embedder.name] * len(missing),
                        "vector": pa.array(list(encoded), type=pa.list_(pa.float32())),
                    }
                )
                con.register("new_vectors", new)
                con.execute("INSERT OR REPLACE INTO embeddings SELECT * FROM new_vectors")
                con.unregister("new_vectors")
                for row, vector in zip(missing, encoded, strict=True):
                    found[row[0]] = vector
            dim = self.embedder.dimension
            matrix = np.zeros((len(rows), dim), dtype=np.float32)
            for i, row in enumerate(rows):
                matrix[i] = np.asarray(found[row[0]], dtype=np.float32)
            return matrix, len(missing)
        finally:
            con.close()


def add_embeddings_enricher(cache: EmbeddingCache):
    def add_embeddings(snap: duckdb.DuckDBPyConnection) -> dict[str, object]:
        rows = listing_texts(snap)
        matrix, encoded = cache.vectors_for(rows)
        table = pa.table(
            {
                "listing_id": [r[0] for r in rows],
                "vector": pa.FixedSizeListArray.from_arrays(
                    pa.array(matrix.reshape(-1), type=pa.float32()), matrix.shape[1]
                )
                if len(rows)
                else pa.array([], type=pa.list_(pa.float32(), cache.embedder.dimension)),
            }
        )
        snap.register("vectors", table)
        snap.execute("CREATE TABLE embeddings AS SELECT * FROM vectors")
        snap.unregister("vectors")
        return {"embedding_model": cache.embedder.name, "embedded_now": encoded, "embedded_total": len(rows)}

    return add_embeddings
