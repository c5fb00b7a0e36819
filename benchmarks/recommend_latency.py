"""Recommendation latency and memory on GENERATED listings (see benchmarks.synthetic).

Prints: generation and snapshot load times (first load fits and caches the lexical index
and feature arrays; the second reads the cache), the cost of each scoring step (with exact
fusion and with the bounded fusion requests use), how many pages the two fusions agree on,
p50/p95 latency of one recommendation for a stored profile (query embedding cached in the
encrypted user store; includes decrypting the profile and its feedback): first request on a
snapshot, first request after a publish when the API has warmed the profile, repeat request;
for an ad hoc profile (embedding computed in the request); the load average of the machine
while measuring, and the process's peak resident memory.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generated_snapshot import write_snapshot
from benchmarks.synthetic import ListingGenerator, generated_profiles, load_vocabulary, title_vectors
from pipeline.embedding import Embedder
from pipeline.warehouse.publish import current_snapshot
from ranker.profile import parse_profile
from ranker.recommend import _matvec, recommend, relevance_inputs
from ranker.serving_index import ServingIndex
from ranker.users.store import UserStore
from ranker.users.stored import StoredScoreCache, recommend_stored, store_profile, warm_stored_scores


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(func: Callable[[int], Any], repeat: int) -> list[float]:
    out = []
    for n in range(repeat):
        started = time.perf_counter()
        func(n)
        out.append((time.perf_counter() - started) * 1000)
    return out


def run(count: int = 100_000, queries: int = 200, home: Path | None = None, seed: int = 7,
        say: Callable[[str], None] = print, reuse: bool = False) -> dict[str, Any]:
    """reuse: keep a generated snapshot already in home/serving (and its ranker cache)."""
    figures: dict[str, Any] = {"listings": count}
    home = home or Path(tempfile.mkdtemp(prefix="ippo-bench-"))
    say(f"GENERATED data (not real listings) under {home}")
    snapshot = current_snapshot(home / "serving") if reuse else None
    if snapshot is None:
        started = time.perf_counter()
        generator = ListingGenerator(load_vocabulary(), seed=seed)
        rows = generator.listings(count)
        figures["generate_s"] = time.perf_counter() - started
        started = time.perf_counter()
        vectors = title_vectors(rows, Embedder(), seed=seed)
        figures["embed_titles_s"] = time.perf_counter() - started
        say(f"generated {count:,} listings in {figures['generate_s']:.1f} s (incl. occupation classification "
            f"of distinct titles); embedded {len({r['title'] for r in rows}):,} distinct titles in "
            f"{figures['embed_titles_s']:.1f} s")
        snapshot = write_snapshot(rows, vectors, home / "serving")
        del rows, vectors
    else:
        say(f"reusing the generated snapshot {snapshot.name}")
    # As the API serves queries: one torch thread (see pipeline.embedding.set_torch_threads).
    embedder = Embedder(threads=1)

    started = time.perf_counter()
    index = ServingIndex.from_snapshot(snapshot)
    figures["load_first_s"] = time.perf_counter() - started
    first_from_cache = index.from_cache
    started = time.perf_counter()
    index = ServingIndex.from_snapshot(snapshot)
    figures["load_cached_s"] = time.perf_counter() - started
    say(f"snapshot load: first {figures['load_first_s']:.1f} s "
        f"({'from the cache' if first_from_cache else 'fits TF-IDF, builds arrays, writes cache'}); "
        f"again {figures['load_cached_s']:.2f} s (from the cache)")

    sample_rows = [index.row(i) for i in range(0, len(index), max(1, len(index) // 2000))]
    profiles = [parse_profile(p) for p in generated_profiles(sample_rows, 50, seed=seed)]
    store = UserStore.open(home)
    ids = [store_profile(store, p, embedder) for p in profiles]
    texts = [p.query_text() for p in profiles]
    vectors = embedder.encode(texts)
    m = len(profiles)
    scan: dict[str, Callable[[int], Any]] = {
        "lexical (char n-gram TF-IDF, all listings)": lambda n: index.lexical.scores(texts[n % m]),
        "dense (exact matrix-vector product, all listings)": lambda n: _matvec(index.vectors, vectors[n % m]),
        "query embedding (MiniLM, one profile)": lambda n: embedder.encode([texts[n % m]]),
        "full exact scan: lexical + dense + exact rank fusion": lambda n: relevance_inputs(
            index, profiles[n % m], vectors[n % m], None, depth=None),
        "scan as served: lexical + dense + bounded rank fusion": lambda n: relevance_inputs(
            index, profiles[n % m], vectors[n % m], None),
    }
    say(f"per-step cost over the {m} generated profiles (p50 / p95):")
    figures["scan_ms"] = {}
    for name, func in scan.items():
        p50, p95 = _percentiles(_timed(func, 2 * m))
        figures["scan_ms"][name] = (p50, p95)
        say(f"  {name:<52} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")

    same = 0
    for profile, vector in zip(profiles, vectors, strict=True):
        exact = recommend(index, profile, k=10, scores=relevance_inputs(index, profile, vector, None, depth=None))
        served = recommend(index, profile, k=10, scores=relevance_inputs(index, profile, vector, None))
        same += [(r.listing["id"], r.score) for r in exact.results] == [
            (r.listing["id"], r.score) for r in served.results]
    figures["fusion_agreement"] = (same, m)
    say(f"pages (k=10) identical with bounded and exact fusion: {same} of {m} profiles")

    figures["load_average_before"] = os.getloadavg()
    for profile_id in ids[:3]:  # warm-up (code paths, not the per-profile cache)
        recommend_stored(index, store, profile_id, embedder, k=10)
    # Stored profile, first request on this snapshot: embedding from the store, full scan.
    stored_first = []
    for profile_id in ids:
        started = time.perf_counter()
        recommend_stored(index, store, profile_id, embedder, k=10, cache=None)
        stored_first.append((time.perf_counter() - started) * 1000)
    # Stored profile, repeat requests as the API serves them (per-profile score cache).
    cache = StoredScoreCache()
    for profile_id in ids:
        recommend_stored(index, store, profile_id, embedder, k=10, cache=cache)
    stored = []
    for n in range(queries):
        started = time.perf_counter()
        recommend_stored(index, store, ids[n % len(ids)], embedder, k=10, cache=cache)
        stored.append((time.perf_counter() - started) * 1000)
    # A publish: the same listings under a new version. The API warms the recently active
    # profiles (all of them here: fewer than the cache's 64) before serving it.
    republished = dataclasses.replace(index, version=f"{index.version}-republished")
    started = time.perf_counter()
    warmed = warm_stored_scores(republished, store, embedder, cache)
    figures["warm_s"] = time.perf_counter() - started
    after_publish = []
    for profile_id in ids:
        started = time.perf_counter()
        recommend_stored(republished, store, profile_id, embedder, k=10, cache=cache)
        after_publish.append((time.perf_counter() - started) * 1000)
    ad_hoc = []
    for n in range(max(20, queries // 4)):
        profile = profiles[n % len(profiles)]
        started = time.perf_counter()
        recommend(index, profile, k=10, embedder=embedder)
        ad_hoc.append((time.perf_counter() - started) * 1000)
    figures["stored_first_ms"] = _percentiles(stored_first)
    figures["stored_ms"] = _percentiles(stored)
    figures["after_publish_ms"] = _percentiles(after_publish)
    figures["load_average_after"] = os.getloadavg()
    figures["ad_hoc_ms"] = _percentiles(ad_hoc)
    figures["peak_rss_mb"] = peak_rss_mb()
    store.close()
    say("recommendation, stored profile, first request on the snapshot, not warmed (embedding cached; "
        "lexical + dense scan, bounded fusion), k=10, "
        f"{len(stored_first)} requests: p50 {figures['stored_first_ms'][0]:.1f} ms, "
        f"p95 {figures['stored_first_ms'][1]:.1f} ms")
    say(f"recommendation, stored profile, first request after a publish ({warmed} profiles warmed in "
        f"{figures['warm_s']:.1f} s before the new version is served), k=10, {len(after_publish)} requests: "
        f"p50 {figures['after_publish_ms'][0]:.1f} ms, p95 {figures['after_publish_ms'][1]:.1f} ms")
    say(f"recommendation, stored profile, repeat request (embedding and per-snapshot scores cached), k=10, "
        f"{len(stored)} requests: p50 {figures['stored_ms'][0]:.1f} ms, p95 {figures['stored_ms'][1]:.1f} ms")
    say(f"recommendation, ad hoc profile (embedding in the request), k=10, {len(ad_hoc)} requests: "
        f"p50 {figures['ad_hoc_ms'][0]:.1f} ms, p95 {figures['ad_hoc_ms'][1]:.1f} ms")
    say("load average (1, 5, 15 min) before / after the timed requests: "
        + " / ".join(", ".join(f"{v:.2f}" for v in figures[k]) for k in ("load_average_before", "load_average_after"))
        + f" on {os.cpu_count()} cores")
    say(f"peak resident memory of the process: {figures['peak_rss_mb']:.0f} MB "
        f"(embedding matrix {index.vectors.nbytes / 1e6:.0f} MB, lexical matrix "
        f"{_sparse_mb(index):.0f} MB)")
    return figures


def _sparse_mb(index: ServingIndex) -> float:
    matrix = index.lexical.matrix
    if matrix is None:
        return 0.0
    return (matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes) / 1e6


__all__ = ["run"]
