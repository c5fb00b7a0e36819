"""A published snapshot held in memory for ranking: arrays for fast filters, the lexical
index and the listing embeddings. Built once per snapshot version and shared by requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ranker.lexical import CharNgramIndex

_COLUMNS = (
    "id, title, url, apply_url, employer, locations, remote, employment_types, hours_per_week, salary, "
    "valid_through, status, signals, supportiveness, language, occupation, duplicate_of, "
    "left(coalesce(description_text, ''), 2000) AS description"
)


def _lexical_document(row: dict[str, Any]) -> str:
    employer = (row.get("employer") or {}).get("name") or ""
    # The title is repeated so that it weighs more than any single description sentence.
    return f"{row['title']}\n{row['title']}\n{employer}\n{row['description']}"


@dataclass
class ServingIndex:
    version: str
    rows: list[dict[str, Any]]
    vectors: np.ndarray | None
    lexical: CharNgramIndex
    tag_masks: dict[str, np.ndarray] = field(default_factory=dict)
    static_open: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    valid_through: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))

    def __len__(self) -> int:
        return len(self.rows)

    def open_mask(self, now: datetime | None = None) -> np.ndarray:
        """Open, not a duplicate, and not past valid_through at this moment (never show expired)."""
        moment = np.datetime64((now or datetime.now(UTC)).replace(tzinfo=None), "s")
        not_expired = np.isnat(self.valid_through) | (self.valid_through >= moment)
        return self.static_open & not_expired

    @classmethod
    def from_snapshot(cls, path: Path) -> ServingIndex:
        con = duckdb.connect(str(path), read_only=True)
        try:
            version = con.execute("SELECT version FROM snapshot_meta").fetchall()[0][0]
            table = con.sql(f"SELECT {_COLUMNS} FROM listings ORDER BY id").to_arrow_table()
            rows = table.to_pylist()
            has_vectors = bool(
                con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'embeddings'"
                ).fetchall()[0][0]
            )
            vectors = None
            if has_vectors:
                emb = con.execute(
                    "SELECT e.vector FROM listings l JOIN embeddings e ON e.listing_id = l.id ORDER BY l.id"
                ).fetchnumpy()["vector"]
                if len(emb) == len(rows) and len(rows):
                    vectors = np.stack(emb).astype(np.float32)
        finally:
            con.close()
        return cls.build(version, rows, vectors)

    @classmethod
    def build(cls, version: str, rows: list[dict[str, Any]], vectors: np.ndarray | None) -> ServingIndex:
        lexical = CharNgramIndex().fit([_lexical_document(r) for r in rows])
        index = cls(version=version, rows=rows, vectors=vectors, lexical=lexical)
        tags: dict[str, np.ndarray] = {}
        for i, row in enumerate(rows):
            registry = (row.get("employer") or {}).get("registry_tags") or []
            for signal in [*(row.get("signals") or []), *registry]:
                mask = tags.get(signal["tag"])
                if mask is None:
                    mask = tags[signal["tag"]] = np.zeros(len(rows), dtype=bool)
                mask[i] = True
        index.tag_masks = tags
        index.static_open = np.array(
            [r["status"] == "open" and r.get("duplicate_of") is None for r in rows], dtype=bool
        )
        index.valid_through = np.array(
            [np.datetime64(r["valid_through"], "s") if r.get("valid_through") else np.datetime64("NaT")
             for r in rows],
            dtype="datetime64[s]",
        )
        return index
