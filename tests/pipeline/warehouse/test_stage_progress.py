"""The loader and the publisher tell a progress listener each stage's start, advance and end."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.warehouse.load import load
from pipeline.warehouse.publish import publish
from ranker.listing_vectors import EmbeddingCache, add_embeddings_enricher
from tests.pipeline.warehouse.test_load_publish import JOB_PAGES, NOW, _dump, _items, _write_run


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        return list(dict.fromkeys(c[0] for c in self.calls))

    def of(self, stage: str) -> list[tuple[int, int]]:
        return [(done, total) for s, done, total in self.calls if s == stage]


class TinyEmbedder:
    name = "tiny"
    dimension = 2

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_every_load_stage_starts_at_zero_and_ends_complete(tmp_path: Path) -> None:
    items = _dump(_items(JOB_PAGES))
    _write_run(tmp_path / "raw", "20261126T000000Z", items)
    heard = Recorder()
    report = load(tmp_path / "warehouse.duckdb", tmp_path / "raw", now=NOW, workers=1, occupations=False,
                  progress=heard)
    assert heard.stages() == ["scan", "normalize", "employers", "occupations", "upsert", "dedupe"]
    for stage in heard.stages():
        calls = heard.of(stage)
        assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1], (stage, calls)
        assert [done for done, _ in calls] == sorted(done for done, _ in calls), stage
    assert heard.of("normalize")[-1] == (len(items), len(items))
    assert heard.of("employers")[-1][1] == report.totals()["new"]
    assert {"employers_s", "occupations_s", "enrich_s"} <= set(report.timings)


def test_publish_reports_the_copy_and_each_batch_of_embeddings(tmp_path: Path) -> None:
    _write_run(tmp_path / "raw", "20261126T000000Z", _dump(_items(JOB_PAGES)))
    load(tmp_path / "warehouse.duckdb", tmp_path / "raw", now=NOW, workers=1, occupations=False)
    heard = Recorder()
    cache = EmbeddingCache(tmp_path / "embeddings.duckdb", TinyEmbedder(), batch_size=2)  # type: ignore[arg-type]
    result = publish(tmp_path / "warehouse.duckdb", tmp_path / "serving",
                     enrichers=[add_embeddings_enricher(cache, heard)], progress=heard)
    assert heard.stages() == ["copy", "embeddings"]
    assert heard.of("copy") == [(0, result.listings), (result.listings, result.listings)]
    encoded = int(result.extra["embedded_now"])  # type: ignore[call-overload]
    steps = [done for done, _ in heard.of("embeddings")]
    assert steps[0] == 0 and steps[-1] == encoded and len(steps) == 1 + -(-encoded // 2)
