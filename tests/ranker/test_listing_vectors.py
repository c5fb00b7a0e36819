"""Listing embeddings are encoded once per text the model reads, across publishes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from ranker.listing_vectors import EmbeddingCache, listing_texts


class CountingEmbedder:
    """Stands in for the sentence model: deterministic vectors, and a record of what it encoded."""

    name = "counting-model"
    dimension = 4

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return np.array([[len(t), t.count(" "), t.count("e"), 1.0] for t in texts], dtype=np.float32)


def _snapshot(rows: list[tuple[str, str, str, str]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE listings (id VARCHAR, title VARCHAR, employer STRUCT(name VARCHAR), "
                "description_text VARCHAR, content_hash VARCHAR)")
    for listing_id, title, description, content_hash in rows:
        con.execute("INSERT INTO listings VALUES (?, ?, {'name': 'Kirara Support'}, ?, ?)",
                    [listing_id, title, description, content_hash])
    return con


def test_vectors_are_reused_when_only_the_content_hash_changes(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "embeddings.duckdb", embedder)  # type: ignore[arg-type]
    first = _snapshot([("a", "介護職員", "未経験歓迎。週3日から。", "h1"),
                       ("b", "Care Worker", "Training provided.", "h2"),
                       ("c", "Care Worker", "Training provided.", "h3")])  # the same text as b
    matrix, encoded_now = cache.vectors_for(listing_texts(first))
    assert encoded_now == 2 and len(embedder.encoded) == 2
    assert np.array_equal(matrix[1], matrix[2])

    # Next publish: every content hash is new (say a new normalizer version), one text changed.
    second = _snapshot([("a", "介護職員", "未経験歓迎。週3日から。", "h1-v3"),
                        ("b", "Care Worker", "Training provided.", "h2-v3"),
                        ("c", "Care Worker (part-time)", "Training provided.", "h3-v3")])
    again, encoded_now = cache.vectors_for(listing_texts(second))
    assert encoded_now == 1 and embedder.encoded[-1].startswith("Care Worker (part-time)")
    assert np.array_equal(again[0], matrix[0]) and np.array_equal(again[1], matrix[1])
