"""Embeddings of listings, computed once per (embedded text, model) and reused.

Publishing a snapshot calls ``add_embeddings``: vectors of texts encoded before come from the
cache file ($IPPO_HOME/embeddings.duckdb, written only by the publishing process); only new
texts are encoded. The key is a digest of the text the model reads, not the listing's content
hash: a listing whose payload changed elsewhere (or that a new normalizer version hashed anew)
keeps its vector, and listings with the same text share one. The snapshot gets an
``embeddings`` table beside listings, with a row for each open listing: closed listings are
never served, so they are not encoded (serving reads them as having no vector).

Missing texts are encoded in batches of ``ENCODE_BATCH``, and each batch is written to the
cache in its own transaction as soon as it is encoded: a publish that is killed half way keeps
the vectors it computed, and the next one encodes only the rest.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.embedding import Embedder, vector_key
from pipeline.progress import Progress, no_progress

# Texts encoded, then written to the cache, at a time: small enough that a killed publish loses
# little work, large enough that the writes cost nothing beside the encoding.
ENCODE_BATCH = 256

# What the bi-encoder reads of a listing: the title carries most of the meaning, the start of
# the description the rest (MiniLM reads at most 256 word pieces anyway).
_TEXT_SQL = """
    concat_ws(' . ', title, employer.name, left(coalesce(description_text, ''), 1200))
"""


def listing_texts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(listing id, digest of the text, the text the model reads) of every listing."""
    return con.execute(f"SELECT id, md5(t), t FROM (SELECT id, {_TEXT_SQL} AS t FROM listings)").fetchall()


class EmbeddingCache:
    def __init__(self, path: Path, embedder: Embedder, batch_size: int = ENCODE_BATCH) -> None:
        if batch_size < 1:
            raise ValueError(f"EmbeddingCache: batch_size must be at least 1, got {batch_size}")
        self.path = path
        self.embedder = embedder
        self.batch_size = batch_size

    def vectors_for(self, rows: list[tuple[str, str, str]],
                    progress: Progress = no_progress) -> tuple[np.ndarray, int]:
        """Vectors in the order of rows (listing id, text digest, text), and how many texts had
        to be encoded now. ``progress`` hears the stage ``embeddings``: texts encoded of those
        missing from the cache."""
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
                [vector_key(self.embedder), keys],
            ).fetchall()
            found = dict(cached)
            text_of = {r[1]: r[2] for r in rows}
            missing = [k for k in keys if k not in found]
            progress("embeddings", 0, len(missing))
            for start in range(0, len(missing), self.batch_size):
                batch = missing[start:start + self.batch_size]
                encoded = self.embedder.encode([text_of[k] for k in batch])
                self._store(con, batch, encoded)
                found.update(zip(batch, encoded, strict=True))
                progress("embeddings", start + len(batch), len(missing))
            dim = self.embedder.dimension
            matrix = np.zeros((len(rows), dim), dtype=np.float32)
            for i, row in enumerate(rows):
                matrix[i] = np.asarray(found[row[1]], dtype=np.float32)
            return matrix, len(missing)
        finally:
            con.close()

    def _store(self, con: duckdb.DuckDBPyConnection, keys: list[str], encoded: np.ndarray) -> None:
        """One batch of new vectors, written in one transaction."""
        new = pa.table(
            {
                "text_key": keys,
                "model": [vector_key(self.embedder)] * len(keys),
                "vector": pa.array(list(encoded), type=pa.list_(pa.float32())),
            }
        )
        con.register("new_vectors", new)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT OR REPLACE INTO text_embeddings SELECT * FROM new_vectors")
            con.execute("COMMIT")
        finally:
            con.unregister("new_vectors")


def _served_rows(snap: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str, str]], int]:
    """The rows of listing_texts that serving can show (open listings), and how many were left out."""
    rows = listing_texts(snap)
    open_ids = {r[0] for r in snap.execute("SELECT id FROM listings WHERE status = 'open'").fetchall()}
    served = [r for r in rows if r[0] in open_ids]
    return served, len(rows) - len(served)


def add_embeddings_enricher(cache: EmbeddingCache, progress: Progress = no_progress):
    def add_embeddings(snap: duckdb.DuckDBPyConnection) -> dict[str, object]:
        rows, closed = _served_rows(snap)
        matrix, encoded = cache.vectors_for(rows, progress)
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
        return {"embedding_model": cache.embedder.name, "embedded_now": encoded, "embedded_total": len(rows),
                "not_embedded_closed": closed}

    return add_embeddings
