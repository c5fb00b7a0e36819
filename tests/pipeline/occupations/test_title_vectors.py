"""The loader's cache of listing-title vectors: reused across loads, never for other text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pytest

from pipeline.occupations import dense, title_vectors

TITLES = ["Registered Nurse", "介護職員（パート）", "Warehouse Associate - Night Shift", "Registered Nurse"]


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A stand-in for the sentence model: deterministic unit vectors, and a record of what it encoded."""
    calls: list[list[str]] = []

    def encode(texts: list[str], name: str, worker: int) -> np.ndarray:
        calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest(), dtype=np.uint8)[:16].astype(np.float32)
                for t in texts]
        out = np.vstack(rows) + 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    monkeypatch.setattr(dense, "_encode", encode)
    return calls


def _rows(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT text FROM title_vectors ORDER BY text").fetchall()]
    finally:
        con.close()


def test_titles_are_encoded_once_across_loads_with_identical_vectors(tmp_path: Path, fake_model) -> None:
    path = tmp_path / "title_vectors.duckdb"
    with title_vectors.active("all-MiniLM-L6-v2", path) as cache:
        first = dense.encode(TITLES, "all-MiniLM-L6-v2")
        assert cache is not None and cache.hits == 0
    assert _rows(path) == sorted(set(TITLES))
    with title_vectors.active("all-MiniLM-L6-v2", path) as cache:
        again = dense.encode(TITLES, "all-MiniLM-L6-v2")
        assert cache is not None and cache.hits == len(TITLES)
    assert len(fake_model) == 1  # the second load computed nothing
    assert np.array_equal(first, again)


def test_long_texts_other_models_and_calls_outside_a_load_are_not_cached(tmp_path: Path, fake_model) -> None:
    path = tmp_path / "title_vectors.duckdb"
    resume = " ".join(["experience caring for older people at home and in a day centre"] * 40)  # many windows
    dense.encode(["Registered Nurse"], "all-MiniLM-L6-v2")  # no cache active: nothing is kept
    with title_vectors.active("all-MiniLM-L6-v2", path):
        dense.encode([resume], "all-MiniLM-L6-v2")
        dense.encode(["Registered Nurse"], "another-model")
    assert _rows(path) == []
    with title_vectors.active("all-MiniLM-L6-v2", path):
        dense.encode(["Care Worker"], "all-MiniLM-L6-v2")
    with title_vectors.active("another-model", path) as cache:
        dense.encode(["Care Worker"], "another-model")
        assert cache is not None and cache.hits == 0  # vectors of one model never serve another


def test_an_unusable_cache_file_only_costs_speed(tmp_path: Path, fake_model, caplog) -> None:
    path = tmp_path / "not-a-database"
    path.mkdir()  # a folder where the file should be
    with title_vectors.active("all-MiniLM-L6-v2", path) as cache:
        vectors = dense.encode(TITLES, "all-MiniLM-L6-v2")
    assert cache is None and vectors.shape == (4, 16)
    assert "not usable" in caplog.text and "computing every title" in caplog.text
