"""A whole refresh, from raw items to a served snapshot, timed stage by stage.

Two scenarios on the same working folder:

1. first refresh: GENERATED raw items (benchmarks/generate_raw_items.py, built from real payload
   shapes) loaded into an empty warehouse, then published with embeddings and the ranking index;
2. a refresh where a share of the listings changed (default 5%): the same items as a new run
   of each source, with the titles of that share edited, loaded and published again; the
   embedding cache of the first refresh is reused, so only the edited texts are encoded.

Each prints a table of stages (load: scan, normalize + tag, employers, occupations, upsert,
dedupe, commit; publish: copy, embeddings, ranking index) with items/s, then the totals. The
machine (CPU model, cores) and the load average before and after are printed: the figures mean
little on a machine busy with other work.

    .venv/bin/python -m benchmarks.refresh_e2e --items 100000 [--embedder hash] [--changed 0.05]

``--embedder hash`` replaces the sentence model with a cheap hashing embedder (same interface),
for timing everything else; the default is the configured model, as ``ippo publish`` uses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.bench_load import _cpu
from benchmarks.generate_raw_items import generate
from pipeline.warehouse.load import LoadReport, load
from pipeline.warehouse.publish import publish
from ranker.listing_vectors import EmbeddingCache, add_embeddings_enricher
from ranker.serving_index import ServingIndex

FIRST_RUN = "20261126T000000Z"
CHANGED_RUN = "20261127T000000Z"
LOAD_STAGES = ("scan", "normalize", "employers", "occupations", "upsert", "dedupe")
PUBLISH_STAGES = ("copy", "embeddings", "ranking_index")
STAGE_LABELS = {"normalize": "normalize + signals", "ranking_index": "ranking index"}


class HashingEmbedder:
    """Vectors from hashed word counts: the embedder's interface at a tiny cost, for timing the rest."""

    name = "hashing-384"
    dimension = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
                matrix[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)


@dataclass
class StageClock:
    """A pipeline progress listener that keeps when each stage started and ended, and its size."""

    started: dict[str, float] = field(default_factory=dict)
    ended: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.started.setdefault(stage, now)
        self.sizes[stage] = total
        if done >= total:
            self.ended[stage] = now

    def seconds(self, stage: str) -> float | None:
        if stage not in self.started or stage not in self.ended:
            return None
        return self.ended[stage] - self.started[stage]


@dataclass
class Scenario:
    name: str
    items: int
    rows: list[tuple[str, str, int, float]] = field(default_factory=list)  # (step, stage, size, seconds)
    notes: list[str] = field(default_factory=list)

    def add(self, step: str, stage: str, size: int, seconds: float | None) -> None:
        if seconds is not None:
            self.rows.append((step, stage, size, seconds))


def _load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def edit_share(raw: Path, share: float, seed: int = 11) -> int:
    """Copy each source's first run to a new run whose listings are the same, ``share`` of them
    with an edited title (a change the loader must see: new content hash, new text to encode)."""
    rng = random.Random(seed)
    edited = 0
    for path in sorted(raw.glob(f"*/{FIRST_RUN}.jsonl")):
        lines = path.read_bytes().split(b"\n")[:-1]
        out = []
        for line in lines:
            if rng.random() < share:
                item = json.loads(line)
                payload = item["payload"]
                key = "title" if "title" in payload else "text"
                payload[key] = f"{payload.get(key) or ''} (revised)"
                if "updated_at" in payload:  # Greenhouse says a job changed by its update time
                    payload["updated_at"] = "2026-11-27T09:00:00-05:00"
                line = json.dumps(item, ensure_ascii=False).encode("utf-8")
                edited += 1
            out.append(line)
        path.with_name(f"{CHANGED_RUN}.jsonl").write_bytes(b"\n".join(out) + b"\n")
    return edited


def run_scenario(scenario: Scenario, warehouse: Path, raw: Path, serving: Path, cache: EmbeddingCache,
                 now: datetime, workers: int | None, occupations: bool) -> None:
    clock = StageClock()
    started = time.perf_counter()
    report = load(warehouse, raw, now=now, workers=workers, occupations=occupations, progress=clock)
    load_s = time.perf_counter() - started
    for stage in LOAD_STAGES:
        scenario.add("load", stage, clock.sizes.get(stage, 0), clock.seconds(stage))
    scenario.add("load", "commit", scenario.items, report.timings.get("commit_s"))
    scenario.add("load", "TOTAL load", scenario.items, load_s)
    scenario.notes.append(_load_note(report))

    started = time.perf_counter()
    result = publish(warehouse, serving, enrichers=[add_embeddings_enricher(cache, clock)], progress=clock)
    clock("ranking_index", 0, result.listings)
    ServingIndex.from_snapshot(result.path)
    clock("ranking_index", result.listings, result.listings)
    publish_s = time.perf_counter() - started
    for stage in PUBLISH_STAGES:
        scenario.add("publish", stage, clock.sizes.get(stage, 0), clock.seconds(stage))
    scenario.add("publish", "TOTAL publish", result.listings, publish_s)
    scenario.add("refresh", "TOTAL load + publish", scenario.items, load_s + publish_s)
    scenario.notes.append(
        f"snapshot {result.version}: {result.listings} listings ({result.open_listings} open); "
        f"{result.extra.get('embedded_now')} texts encoded now, {result.extra.get('embedded_total')} embedded, "
        f"{result.extra.get('not_embedded_closed')} closed not embedded ({result.extra.get('embedding_model')})")


def _load_note(report: LoadReport) -> str:
    t = report.totals()
    return (f"load: {t['items']} items -> {t['new']} new, {t['changed']} changed, {t['unchanged']} unchanged, "
            f"{t['quarantined']} quarantined; {t['occupations']} classified, {t['duplicates']} duplicates open")


def render(scenario: Scenario) -> str:
    lines = [f"{scenario.name}", f"  {'step':<8} {'stage':<22} {'items':>9} {'seconds':>9} {'items/s':>10}"]
    for step, stage, size, seconds in scenario.rows:
        rate = f"{size / seconds:,.0f}" if seconds >= 0.01 and size else "-"
        lines.append(f"  {step:<8} {STAGE_LABELS.get(stage, stage):<22} {size:>9,} {seconds:>9.2f} {rate:>10}")
    lines.extend(f"  {note}" for note in scenario.notes)
    return "\n".join(lines)


def _embedder(kind: str) -> Any:
    if kind == "hash":
        return HashingEmbedder()
    from ippo.config import Settings
    from pipeline.embedding import Embedder

    return Embedder(Settings().embedding_model)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="GENERATED raw items of the first refresh")
    parser.add_argument("--changed", type=float, default=0.05, help="share of listings edited in the second refresh")
    parser.add_argument("--workers", type=int, default=None, help="normalizing processes (default: cores)")
    parser.add_argument("--no-occupations", action="store_true", help="skip occupation classification")
    parser.add_argument("--embedder", choices=("model", "hash"), default="model",
                        help="model: the configured sentence model (default); hash: a cheap stand-in")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.items < 1 or not 0 <= args.changed <= 1:
        parser.error("--items must be at least 1 and --changed between 0 and 1")

    work = args.keep or Path(tempfile.mkdtemp(prefix="ippo-bench-refresh-"))
    raw, warehouse, serving = work / "raw", work / "warehouse.duckdb", work / "serving"
    for leftover in (raw, serving, work / "cache"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover_file in (warehouse, work / "embeddings.duckdb"):
        leftover_file.unlink(missing_ok=True)
    print(f"machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {_load_average()}")
    counts = generate(args.items, raw, FIRST_RUN)
    print(f"items: {sum(counts.values())} GENERATED raw items (not crawled): {json.dumps(counts)}")
    cache = EmbeddingCache(work / "embeddings.duckdb", _embedder(args.embedder))
    occupations = not args.no_occupations
    try:
        first = Scenario("first refresh (empty warehouse)", sum(counts.values()))
        run_scenario(first, warehouse, raw, serving, cache, datetime(2026, 11, 26, 12), args.workers, occupations)
        print(render(first))
        edited = edit_share(raw, args.changed)
        second = Scenario(f"refresh with {args.changed:.0%} of listings changed ({edited} edited titles)",
                          sum(counts.values()))
        run_scenario(second, warehouse, raw, serving, cache, datetime(2026, 11, 26, 12) + timedelta(days=1),
                     args.workers, occupations)
        print(render(second))
    finally:
        print(f"load average after: {_load_average()}")
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
