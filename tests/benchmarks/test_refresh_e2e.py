"""benchmarks.refresh_e2e on a few GENERATED items: both scenarios, every stage, honest labels."""

from __future__ import annotations

import pytest

from benchmarks import refresh_e2e
from benchmarks.shared_data import shared_data_dir


def test_the_refresh_benchmark_prints_each_stage_of_both_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    if not (shared_data_dir() / "greenhouse_boards_tech_jobs_hub").exists():
        pytest.skip("the shared data folder the generator reads is not here")
    refresh_e2e.main(["--items", "300", "--embedder", "hash", "--no-occupations", "--workers", "1"])
    out = capsys.readouterr().out
    assert "GENERATED" in out and "cores" in out and "load average before" in out and "load average after" in out
    first, second = out.split("refresh with 5% of listings changed")
    for stage in ("normalize + signals", "employers", "occupations", "upsert", "dedupe", "copy", "embeddings",
                  "ranking index", "TOTAL load + publish"):
        assert stage in first and stage in second, stage
    assert "300 items -> 300 new" in first
    changed = int(second.split(" changed,")[0].rsplit(" ", 1)[1])
    assert 0 < changed <= 30 and "0 new" in second
    assert f"{changed} texts encoded now" in second  # only the edited titles are encoded again
