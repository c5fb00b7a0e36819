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

import numpy as np

from benchmarks.generated_snapshot import write_snapshot
from benchmarks.synthetic import ListingGenerator, generated_profiles, load_vocabulary, title_vectors
from ippo.config import Settings
from pipeline.embedding import Embedder
from pipeline.warehouse.pointer import current_snapshot
from ranker.profile import AptitudeProfile, parse_profile
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
    snapshot = _generated_snapshot(home, count, seed, reuse, figures, say)
    # As the API serves queries: one torch thread (see pipeline.embedding.set_torch_threads).
    embedder = Embedder(Settings().embedding_model, threads=1)
    index = _load_index(snapshot, figures, say)
    store = UserStore.open(home)
    bench = _Profiles.make(index, store, embedder, seed)
    _scan_steps(index, bench, embedder, figures, say)
    _fusion_agreement(index, bench, figures, say)
    _request_latencies(index, store, bench, embedder, queries, figures)
    figures["peak_rss_mb"] = peak_rss_mb()
    store.close()
    _report_requests(index, figures, say)
    return figures


def _generated_snapshot(home: Path, count: int, seed: int, reuse: bool, figures: dict[str, Any],
                        say: Callable[[str], None]) -> Path:
    """The snapshot to measure: generated listings and title vectors (or the one in home when reusing)."""
    snapshot = current_snapshot(home / "serving") if reuse else None
    if snapshot is not None:
        say(f"reusing the generated snapshot {snapshot.name}")
        return snapshot
    started = time.perf_counter()
    generator = ListingGenerator(load_vocabulary(), seed=seed)
    rows = generator.listings(count)
    figures["generate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    vectors = title_vectors(rows, Embedder(Settings().embedding_model), seed=seed)
    figures["embed_titles_s"] = time.perf_counter() - started
    say(f"generated {count:,} listings in {figures['generate_s']:.1f} s (incl. occupation classification "
        f"of distinct titles); embedded {len({r['title'] for r in rows}):,} distinct titles in "
        f"{figures['embed_titles_s']:.1f} s")
    return write_snapshot(rows, vectors, home / "serving")


def _load_index(snapshot: Path, figures: dict[str, Any], say: Callable[[str], None]) -> ServingIndex:
    """Load the snapshot twice: the first load fits (or finds the cache), the second reads the cache."""
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
    return index


@dataclasses.dataclass
class _Profiles:
    """Generated profiles, stored in the user store, with their query texts and embeddings."""

    profiles: list[AptitudeProfile]
    ids: list[str]
    texts: list[str]
    vectors: np.ndarray

    @classmethod
    def make(cls, index: ServingIndex, store: UserStore, embedder: Embedder, seed: int) -> _Profiles:
        sample_rows = [index.row(i) for i in range(0, len(index), max(1, len(index) // 2000))]
        profiles = [parse_profile(p) for p in generated_profiles(sample_rows, 50, seed=seed)]
        ids = [store_profile(store, p, embedder) for p in profiles]
        texts = [p.query_text() for p in profiles]
        return cls(profiles=profiles, ids=ids, texts=texts, vectors=embedder.encode(texts))

    def __len__(self) -> int:
        return len(self.profiles)


def _scan_steps(index: ServingIndex, bench: _Profiles, embedder: Embedder, figures: dict[str, Any],
                say: Callable[[str], None]) -> None:
    """The cost of each scoring step over all listings, p50 / p95 over the profiles."""
    m, texts, vectors, profiles = len(bench), bench.texts, bench.vectors, bench.profiles
    matrix = index.vectors
    if matrix is None:
        raise ValueError(f"the snapshot {index.version} has no embeddings table; the benchmark writes one")
    scan: dict[str, Callable[[int], Any]] = {
        "lexical (term + inner-gram TF-IDF, all listings)": lambda n: index.lexical.scores(texts[n % m]),
        "dense (exact matrix-vector product, all listings)": lambda n: _matvec(matrix, vectors[n % m]),
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


def _fusion_agreement(index: ServingIndex, bench: _Profiles, figures: dict[str, Any],
                      say: Callable[[str], None]) -> None:
    """How many pages are identical with bounded (as served) and exact fusion."""
    same = 0
    for profile, vector in zip(bench.profiles, bench.vectors, strict=True):
        exact = recommend(index, profile, k=10, scores=relevance_inputs(index, profile, vector, None, depth=None))
        served = recommend(index, profile, k=10, scores=relevance_inputs(index, profile, vector, None))
        same += [(r.listing["id"], r.score) for r in exact.results] == [
            (r.listing["id"], r.score) for r in served.results]
    figures["fusion_agreement"] = (same, len(bench))
    say(f"pages (k=10) identical with bounded and exact fusion: {same} of {len(bench)} profiles")


def _request_latencies(index: ServingIndex, store: UserStore, bench: _Profiles, embedder: Embedder, queries: int,
                       figures: dict[str, Any]) -> None:
    """p50 / p95 of one recommendation: stored profile (first request, repeat, after a publish), ad hoc."""
    ids = bench.ids
    figures["load_average_before"] = os.getloadavg()
    for profile_id in ids[:3]:  # warm-up (code paths, not the per-profile cache)
        recommend_stored(index, store, profile_id, embedder, k=10)
    # Stored profile, first request on this snapshot: embedding from the store, full scan.
    stored_first = _timed(lambda n: recommend_stored(index, store, ids[n], embedder, k=10, cache=None), len(ids))
    # Stored profile, repeat requests as the API serves them (per-profile score cache).
    cache = StoredScoreCache()
    for profile_id in ids:
        recommend_stored(index, store, profile_id, embedder, k=10, cache=cache)
    stored = _timed(lambda n: recommend_stored(index, store, ids[n % len(ids)], embedder, k=10, cache=cache), queries)
    # A publish: the same listings under a new version. The API warms the recently active
    # profiles (all of them here: fewer than the cache's 64) before serving it.
    republished = dataclasses.replace(index, version=f"{index.version}-republished")
    started = time.perf_counter()
    figures["warmed"] = warm_stored_scores(republished, store, embedder, cache)
    figures["warm_s"] = time.perf_counter() - started
    after_publish = _timed(
        lambda n: recommend_stored(republished, store, ids[n], embedder, k=10, cache=cache), len(ids))
    profiles = bench.profiles
    ad_hoc = _timed(lambda n: recommend(index, profiles[n % len(profiles)], k=10, embedder=embedder),
                    max(20, queries // 4))
    figures["stored_first_ms"] = _percentiles(stored_first)
    figures["stored_ms"] = _percentiles(stored)
    figures["after_publish_ms"] = _percentiles(after_publish)
    figures["load_average_after"] = os.getloadavg()
    figures["ad_hoc_ms"] = _percentiles(ad_hoc)
    figures["requests"] = {"stored_first": len(stored_first), "stored": len(stored),
                           "after_publish": len(after_publish), "ad_hoc": len(ad_hoc)}


def _report_requests(index: ServingIndex, figures: dict[str, Any], say: Callable[[str], None]) -> None:
    counts = figures["requests"]
    say("recommendation, stored profile, first request on the snapshot, not warmed (embedding cached; "
        "lexical + dense scan, bounded fusion), k=10, "
        f"{counts['stored_first']} requests: p50 {figures['stored_first_ms'][0]:.1f} ms, "
        f"p95 {figures['stored_first_ms'][1]:.1f} ms")
    say(f"recommendation, stored profile, first request after a publish ({figures['warmed']} profiles warmed in "
        f"{figures['warm_s']:.1f} s before the new version is served), k=10, {counts['after_publish']} requests: "
        f"p50 {figures['after_publish_ms'][0]:.1f} ms, p95 {figures['after_publish_ms'][1]:.1f} ms")
    say(f"recommendation, stored profile, repeat request (embedding and per-snapshot scores cached), k=10, "
        f"{counts['stored']} requests: p50 {figures['stored_ms'][0]:.1f} ms, p95 {figures['stored_ms'][1]:.1f} ms")
    say(f"recommendation, ad hoc profile (embedding in the request), k=10, {counts['ad_hoc']} requests: "
        f"p50 {figures['ad_hoc_ms'][0]:.1f} ms, p95 {figures['ad_hoc_ms'][1]:.1f} ms")
    say("load average (1, 5, 15 min) before / after the timed requests: "
        + " / ".join(", ".join(f"{v:.2f}" for v in figures[k]) for k in ("load_average_before", "load_average_after"))
        + f" on {os.cpu_count()} cores")
    say(f"peak resident memory of the process: {figures['peak_rss_mb']:.0f} MB "
        f"(embedding matrix {_dense_mb(index):.0f} MB, lexical matrix "
        f"{_sparse_mb(index):.0f} MB)")


def _dense_mb(index: ServingIndex) -> float:
    return 0.0 if index.vectors is None else index.vectors.nbytes / 1e6


def _sparse_mb(index: ServingIndex) -> float:
    return index.lexical.nbytes() / 1e6


__all__ = ["run"]
