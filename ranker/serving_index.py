"""A published snapshot held in memory for ranking: per-listing arrays for the filters and
scores, the lexical index and the listing embeddings. Built once per snapshot version and
shared by requests.

A snapshot never changes after it is published, so what is derived from it (the feature
arrays, the fitted TF-IDF index, the embedding matrix) is saved under
``$IPPO_HOME/cache/ranker/<version>/`` the first time any process loads it; the next process
serving the same version loads those files in a fraction of the time the fit takes.
Full listing rows are only materialized for the few results shown.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.canonical import SERVED_DESCRIPTION_CHARS, SNAPSHOT_FORMAT
from ranker.lexical import LexicalIndex
from ranker.listing_features import ListingFeatures, build_features
from ranker.snapshot_tables import has_table

log = logging.getLogger("ippo.ranker")

# Bump when the saved layout or the meaning of a feature changes: old caches are then ignored.
FEATURES_VERSION = "9"
KEEP_CACHED_VERSIONS = 3
# The lexical index reads the title twice (it weighs more than any single sentence), the
# employer and the start of the description, where the job is usually summed up.
LEXICAL_DESCRIPTION_CHARS = 300

_COLUMNS = (
    "id, title, url, apply_url, employer, locations, remote, employment_types, hours_per_week, salary, "
    "valid_through, status, signals, supportiveness, language, occupation, duplicate_of, "
    f"left(coalesce(description_text, ''), {SERVED_DESCRIPTION_CHARS}) AS description, "
    "against, occupation_interests, remote_regions, seniority, experience_years_min, suspicious"
)


class SnapshotFormatError(ValueError):
    """The snapshot was written in a format this ranker does not read."""


def lexical_document(row: dict[str, Any]) -> str:
    employer = (row.get("employer") or {}).get("name") or ""
    description = (row.get("description") or "")[:LEXICAL_DESCRIPTION_CHARS]
    return f"{row['title']}\n{row['title']}\n{employer}\n{description}"


def default_cache_root(snapshot: Path) -> Path:
    """Snapshots live in $IPPO_HOME/serving/; their derived files in $IPPO_HOME/cache/ranker/."""
    return snapshot.resolve().parent.parent / "cache" / "ranker"


@dataclass
class ServingIndex:
    version: str
    features: ListingFeatures
    vectors: np.ndarray | None
    lexical: LexicalIndex
    ids: list[str]
    _rows: list[dict[str, Any]] | None = None
    _table: pa.Table | None = None
    _materialized: dict[int, dict[str, Any]] = field(default_factory=dict)
    _positions: dict[str, int] | None = None
    load_seconds: float = 0.0
    from_cache: bool = False
    # The snapshot file the index was read from (None for rows held in memory): what else is
    # served beside the listings (ranker.support) is read from the same file.
    snapshot_path: Path | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def tag_masks(self) -> dict[str, np.ndarray]:
        return self.features.tag_masks()

    def tag_mask(self, tag: str) -> np.ndarray | None:
        try:
            return self.features.tag_matrix[self.features.tags.index(tag)]
        except ValueError:
            return None

    def row(self, i: int) -> dict[str, Any]:
        """The full listing row at position i (materialized on demand from the snapshot)."""
        if self._rows is not None:
            return self._rows[i]
        found = self._materialized.get(i)
        if found is None:
            assert self._table is not None
            found = self._table.slice(i, 1).to_pylist()[0]
            if len(self._materialized) > 4096:
                self._materialized.clear()
            self._materialized[i] = found
        return found

    def rows_at(self, positions: list[int]) -> list[dict[str, Any]]:
        """Rows at several positions, materialized in one pass (one Arrow take for the page)."""
        if self._rows is not None:
            return [self._rows[i] for i in positions]
        found = {i: self._materialized[i] for i in dict.fromkeys(positions) if i in self._materialized}
        missing = [i for i in dict.fromkeys(positions) if i not in found]
        if missing:
            assert self._table is not None
            # Emptying the memo must not lose rows of this page already found in it.
            if len(self._materialized) > 4096:
                self._materialized.clear()
            for i, row in zip(missing, self._table.take(missing).to_pylist(), strict=True):
                self._materialized[i] = found[i] = row
        return [found[i] for i in positions]

    def position(self, listing_id: str) -> int | None:
        if self._positions is None:
            self._positions = {listing_id: i for i, listing_id in enumerate(self.ids)}
        return self._positions.get(listing_id)

    def open_mask(self, now: datetime | None = None) -> np.ndarray:
        """Open, not a duplicate, and not past valid_through at this moment (never show expired)."""
        moment = np.datetime64((now or datetime.now(UTC)).replace(tzinfo=None), "s")
        until = self.features.valid_through
        return self.features.static_open & (np.isnat(until) | (until >= moment))

    @classmethod
    def build(cls, version: str, rows: list[dict[str, Any]], vectors: np.ndarray | None) -> ServingIndex:
        """An index over rows held in memory (tests, notebooks, the generated benchmark data)."""
        lexical = LexicalIndex().fit([lexical_document(r) for r in rows])
        return cls(version=version, features=build_features(rows), vectors=vectors, lexical=lexical,
                   ids=[r["id"] for r in rows], _rows=rows)

    @classmethod
    def from_snapshot(cls, path: Path, cache_root: Path | None = None) -> ServingIndex:
        started = datetime.now(UTC)
        con = duckdb.connect(str(path), read_only=True)
        try:
            version = _checked_version(con, path)
            table = con.sql(f"SELECT {_COLUMNS} FROM listings ORDER BY id").to_arrow_table()
            cache = _cache_dir(cache_root or default_cache_root(path), version)
            if cache is not None and (cache / "complete").exists():
                try:
                    index = cls._from_cache(cache, version, table)
                    index.snapshot_path = path
                    index.load_seconds = (datetime.now(UTC) - started).total_seconds()
                    return index
                except (OSError, ValueError, KeyError, EOFError) as exc:
                    log.warning("ignoring the unreadable ranker cache %s (%s); rebuilding", cache, exc)
            vectors = _snapshot_vectors(con, table.num_rows)
        finally:
            con.close()
        rows = table.to_pylist()
        lexical = LexicalIndex().fit([lexical_document(r) for r in rows])
        index = cls(version=version, features=build_features(rows), vectors=vectors, lexical=lexical,
                    ids=[r["id"] for r in rows], _table=table, snapshot_path=path)
        if cache is not None:
            index._save_cache(cache)
        index.load_seconds = (datetime.now(UTC) - started).total_seconds()
        return index

    @classmethod
    def _from_cache(cls, cache: Path, version: str, table: pa.Table) -> ServingIndex:
        features = ListingFeatures.load(cache / "features.npz")
        if features.size != table.num_rows:
            raise ValueError("cached features do not match the snapshot's row count")
        vectors_path = cache / "vectors.npy"
        vectors = np.load(vectors_path) if vectors_path.exists() else None
        return cls(version=version, features=features, vectors=vectors, lexical=LexicalIndex.load(cache),
                   ids=table.column("id").to_pylist(), _table=table, from_cache=True)

    def _save_cache(self, cache: Path) -> None:
        """Write the derived files to a temporary folder, then rename it into place (atomic)."""
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f".{cache.name}.", dir=cache.parent))
            self.features.save(building / "features.npz")
            self.lexical.save(building)
            if self.vectors is not None:
                np.save(building / "vectors.npy", self.vectors)
            (building / "complete").write_text(self.version, encoding="utf-8")
            try:
                os.replace(building, cache)
            except OSError:  # another process finished first: keep theirs
                shutil.rmtree(building, ignore_errors=True)
            _prune(cache.parent, keep=cache)
        except OSError as exc:
            log.warning("could not save the ranker cache under %s (%s); the next load rebuilds it", cache, exc)


def snapshot_format(con: duckdb.DuckDBPyConnection) -> int:
    """The format snapshot_meta records; 1 for snapshots written before formats were recorded."""
    columns = {row[0] for row in con.execute("SELECT column_name FROM (DESCRIBE snapshot_meta)").fetchall()}
    if "format" not in columns:
        return 1
    return int(con.execute("SELECT format FROM snapshot_meta").fetchall()[0][0])


def _checked_version(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    found = snapshot_format(con)
    if found != SNAPSHOT_FORMAT:
        raise SnapshotFormatError(
            f"the snapshot {path.name} has format {found}, this version of ippo reads format {SNAPSHOT_FORMAT} "
            "(it needs the listings' precomputed against-evidence and occupation interests, and their remote "
            "regions, seniority, experience years and suspicious reasons): run `ippo publish` "
            "to publish the warehouse again"
        )
    return str(con.execute("SELECT version FROM snapshot_meta").fetchall()[0][0])


def _cache_dir(root: Path, version: str) -> Path | None:
    safe = "".join(ch for ch in str(version) if ch.isalnum() or ch in "-_T")
    return root / f"{safe}-f{FEATURES_VERSION}" if safe else None


def _prune(root: Path, keep: Path) -> None:
    cached = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                    key=lambda p: p.name, reverse=True)
    for old in cached[KEEP_CACHED_VERSIONS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _snapshot_vectors(con: duckdb.DuckDBPyConnection, count: int) -> np.ndarray | None:
    if not has_table(con, "embeddings") or count == 0:
        return None
    # Closed listings have no vector (they are never served): their rows stay zero.
    table = con.sql(
        "SELECT e.vector FROM listings l LEFT JOIN embeddings e ON e.listing_id = l.id ORDER BY l.id"
    ).to_arrow_table()
    if table.num_rows != count:
        return None
    column = table.column("vector").combine_chunks()
    present = column.is_valid().to_numpy(zero_copy_only=False)
    if not present.any():
        return None
    flat = column.drop_null().flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    vectors = flat.reshape(int(present.sum()), -1)
    if present.all():
        return vectors
    matrix = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    matrix[present] = vectors
    return matrix
