"""Embeddings of listings, computed once per (embedded text, model) and reused.

Publishing a snapshot calls ``add_embeddings``: vectors of texts encoded before come from the
cache file ($IPPO_HOME/embeddings.duckdb, written only by the publishing process); only new
texts are encoded. The key is a digest of the text the model reads, not the listing's content
hash: a listing whose payload changed elsewhere (or that a new normalizer version hashed anew)
keeps its vector, and listings with the same text share one. The snapshot gets an
``embeddings`` table beside listings.
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
    """(listing id, digest of the text, the text the model reads) of every listing."""
    return con.execute(f"SELECT id, md5(t), t FROM (SELECT id, {_TEXT_SQL} AS t FROM listings)").fetchall()


class EmbeddingCache:
    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder

    def vectors_for(self, rows: list[tuple[str, str, str]]) -> tuple[np.ndarray, int]:
        """Vectors in the order of rows (listing id, text digest, text), and how many texts had
        to be encoded now."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path))
        try:
            # Vectors were keyed by (listing, content hash) before; that table is superseded.
            con.execute("DROP TABLE IF EXISTS embeddings")
            con.execute(
                "CREATE TABLE IF NOT EXISTS text_embeddings (text_key VARCHAR, model VARCHAR, vector FLOAT[], "
                "PRIMARY KEY (text_key, model))"
            )
            keys = list(dict.fromkeys(r[1] for r in rows))
            cached = con.execute(
                "SELECT text_key, vector FROM text_embeddings "
                "WHERE model = ? AND text_key IN (SELECT unnest(?::VARCHAR[]))",
                [self.embedder.name, keys],
            ).fetchall()
            found = dict(cached)
            text_of = {r[1]: r[2] for r in rows}
            missing = [k for k in keys if k not in found]
            if missing:
                encoded = self.embedder.encode([text_of[k] for k in missing])
                new = pa.table(
                    {
                        "text_key": missing,
                        "model": [self.embedder.name] * len(missing),
                        "vector": pa.array(list(encoded), type=pa.list_(pa.float32())),
                    }
                )
                con.register("new_vectors", new)
                con.execute("INSERT OR REPLACE INTO text_embeddings SELECT * FROM new_vectors")
                con.unregister("new_vectors")
                found.update(zip(missing, encoded, strict=True))
            dim = self.embedder.dimension
            matrix = np.zeros((len(rows), dim), dtype=np.float32)
            for i, row in enumerate(rows):
                matrix[i] = np.asarray(found[row[1]], dtype=np.float32)
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
