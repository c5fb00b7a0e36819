"""A publish killed while encoding keeps the vectors it computed: the next one encodes only the rest.
Closed listings are never encoded, and serving still has a vector row for every listing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.warehouse.arrow import LISTING_SCHEMA
from pipeline.warehouse.connect import connect
from ranker.listing_vectors import EmbeddingCache
from ranker.serving_index import ServingIndex
from tests.conftest import ROOT

LISTINGS = 3000
CLOSED = 200
BATCH = 100

# Runs `publish` with the batch-writing cache and an embedder that is slow on purpose (and logs
# each batch it encoded to a file, since the cache file is locked while the publisher writes it).
DRIVER = """
import sys, time
from pathlib import Path
import numpy as np
from pipeline.warehouse.publish import publish
from ranker.listing_vectors import EmbeddingCache, add_embeddings_enricher

home, batch, pause = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

class SlowEmbedder:
    name = "slow-test-model"
    dimension = 8

    def encode(self, texts):
        time.sleep(pause)
        with (home / "encoded.log").open("a") as log:
            log.write(f"{len(texts)}\\n")
        return np.array([[len(t) % 97, t.count(" "), 1, 0, 0, 0, 0, 1] for t in texts], dtype=np.float32)

cache = EmbeddingCache(home / "embeddings.duckdb", SlowEmbedder(), batch_size=batch)
result = publish(home / "warehouse.duckdb", home / "serving", enrichers=[add_embeddings_enricher(cache)])
print(result.extra["embedded_now"], result.extra["embedded_total"], result.extra["not_embedded_closed"])
"""


def _warehouse(home: Path) -> None:
    when = datetime(2026, 11, 26, 12)
    rows = [{"id": f"gen:{n}", "source": "generated", "source_id": str(n), "url": f"https://example.org/{n}",
             "title": f"Office assistant {n}", "description_text": f"Data entry and filing, team {n % 50}.",
             "employer": {"name": f"Employer {n % 300}", "normalized_name": None, "registry_tags": []},
             "status": "closed" if n < CLOSED else "open", "first_seen": when, "last_seen": when,
             "content_hash": f"h{n}", "supportiveness": 0.0, "signals": [], "locations": [],
             "employment_types": []} for n in range(LISTINGS)]
    con = connect(home / "warehouse.duckdb")
    try:
        con.register("generated", pa.Table.from_pylist(rows, schema=LISTING_SCHEMA))
        con.execute("INSERT INTO listings SELECT * FROM generated")
    finally:
        con.close()


def _publish(home: Path, pause: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(home), str(BATCH), str(pause)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _batches_logged(home: Path) -> int:
    log = home / "encoded.log"
    return len(log.read_text().split()) if log.exists() else 0


def _cached(home: Path) -> int:
    con = duckdb.connect(str(home / "embeddings.duckdb"), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM text_embeddings").fetchall()[0][0])
    finally:
        con.close()


def test_a_killed_publish_resumes_encoding_where_it_stopped(tmp_path: Path) -> None:
    _warehouse(tmp_path)
    first = _publish(tmp_path, pause=0.4)
    deadline = time.monotonic() + 120
    while _batches_logged(tmp_path) < 4 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, f"the publish ended before it could be killed: {first.communicate()}"
    first.send_signal(signal.SIGKILL)
    first.communicate()

    kept = _cached(tmp_path)
    open_listings = LISTINGS - CLOSED
    assert 3 * BATCH <= kept < open_listings, "the batches encoded before the kill were kept, and only they"
    assert kept % BATCH == 0, "each batch is written whole or not at all"

    second = _publish(tmp_path, pause=0.0)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    embedded_now, embedded_total, closed = (int(v) for v in out.split())
    assert embedded_now == open_listings - kept
    assert embedded_total == open_listings and closed == CLOSED
    assert _cached(tmp_path) == open_listings  # the closed listings' texts were never encoded

    # Serving has a row of vectors for every listing; the closed ones are zero.
    snapshot = sorted((tmp_path / "serving").glob("*.duckdb"))[-1]
    index = ServingIndex.from_snapshot(snapshot, cache_root=tmp_path / "cache")
    assert index.vectors is not None and index.vectors.shape == (LISTINGS, 8)
    closed_rows = [i for i, listing_id in enumerate(index.ids) if int(listing_id.split(":")[1]) < CLOSED]
    open_rows = np.setdiff1d(range(LISTINGS), closed_rows)
    assert not index.vectors[closed_rows].any() and index.vectors[open_rows].any(axis=1).all()


class Recording:
    name = "recording"
    dimension = 2

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return np.ones((len(texts), 2), dtype=np.float32)


def test_missing_texts_are_encoded_in_batches_of_the_cache_size(tmp_path: Path) -> None:
    embedder = Recording()
    cache = EmbeddingCache(tmp_path / "e.duckdb", embedder, batch_size=3)  # type: ignore[arg-type]
    rows = [(f"l{n}", f"k{n}", f"text {n}") for n in range(7)]
    matrix, encoded = cache.vectors_for(rows)
    assert embedder.calls == [3, 3, 1] and encoded == 7 and matrix.shape == (7, 2)
    _, encoded = cache.vectors_for(rows)
    assert encoded == 0 and embedder.calls == [3, 3, 1]
