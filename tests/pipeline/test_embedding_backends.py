"""The ONNX backends of the embedding model: parity with torch on real texts, the export cache, the setting."""

from __future__ import annotations

import csv
import json
import logging
import os
from pathlib import Path

import duckdb
import numpy as np
import pytest

from ippo.config import EMBEDDING_BACKENDS, Settings, SettingsError
from pipeline.embedding import AUTO_BACKEND, Embedder, vector_key
from pipeline.embedding_onnx import export_dir
from ranker.listing_vectors import EmbeddingCache

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _real_texts() -> list[str]:
    """~50 real listing texts: English and Japanese titles, and title . employer . description."""
    texts: list[str] = []
    with (SHARED / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv").open(
            encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts += [rows[i]["title"] for i in range(0, len(rows), len(rows) // 15)][:15]
    with (SHARED / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv").open(encoding="utf-8") as handle:
        hellowork = list(csv.DictReader(handle))[:15]
    texts += [row["job_category"] for row in hellowork[:5]]
    texts += [" . ".join((row["job_category"], row["company_name"], row["job_description"])) for row in hellowork[5:]]
    remoteok = json.loads((SHARED / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json")
                          .read_text(encoding="utf-8"))
    texts += [" . ".join((job["position"], job["company"], job["description"][:1200]))
              for job in remoteok[1:] if job.get("position")][:20]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    if not SHARED.is_dir():
        pytest.skip(f"the shared real data is not at {SHARED}")
    return _real_texts()


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export (fp32 and int8) for the module; the tests below reuse it."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    Embedder(backend="onnx-int8", cache_dir=cache).encode(["warm up"])
    return cache


@pytest.fixture(scope="module")
def torch_vectors(embedder: Embedder, texts: list[str]) -> np.ndarray:
    return embedder.encode(texts)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_onnx_fp32_matches_torch_on_real_texts(onnx_cache: Path, texts: list[str],
                                                torch_vectors: np.ndarray) -> None:
    onnx = Embedder(backend="onnx", cache_dir=onnx_cache)
    vectors = onnx.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == torch_vectors.shape == (len(texts), onnx.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert _cosines(vectors, torch_vectors).min() > 0.9999


def test_onnx_int8_stays_close_to_torch(onnx_cache: Path, texts: list[str], torch_vectors: np.ndarray) -> None:
    vectors = Embedder(backend="onnx-int8", cache_dir=onnx_cache).encode(texts)
    cosines = _cosines(vectors, torch_vectors)
    assert cosines.mean() > 0.985 and cosines.min() > 0.95


def test_order_and_empty_input_are_kept(onnx_cache: Path, texts: list[str]) -> None:
    onnx = Embedder(backend="onnx", cache_dir=onnx_cache, batch_size=4)
    forward, backward = onnx.encode(texts[:9]), onnx.encode(texts[:9][::-1])
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert onnx.encode([]).shape == (0, 384)


def test_a_second_embedder_reuses_the_export(onnx_cache: Path) -> None:
    folder = next((onnx_cache / "onnx").iterdir())
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.onnx")}
    assert set(before) == {"model.onnx", "model-int8.onnx"}
    Embedder(backend="onnx-int8", cache_dir=onnx_cache).encode(["Care worker"])
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob("*.onnx")} == before


def test_a_damaged_export_is_detected_and_redone(onnx_cache: Path, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "cache"
    folder = next((onnx_cache / "onnx").iterdir())
    copy = cache / "onnx" / folder.name
    copy.mkdir(parents=True)
    for name in ("model.onnx", "model.json"):
        (copy / name).write_bytes((folder / name).read_bytes())
    damaged = copy / "model.onnx"
    with damaged.open("r+b") as handle:  # cut short, as by a crash or a full disk
        handle.truncate(damaged.stat().st_size // 2)
    with caplog.at_level(logging.WARNING, logger="pipeline.embedding_onnx"):
        vectors = Embedder(backend="onnx", cache_dir=cache).encode(["Care worker, part-time"])
    assert "does not match its manifest" in caplog.text and "exporting it again" in caplog.text
    assert damaged.stat().st_size == (folder / "model.onnx").stat().st_size
    assert vectors.shape == (1, 384)
    assert not [p for p in copy.iterdir() if p.name.endswith(".part")]


def test_an_export_without_its_manifest_is_redone(onnx_cache: Path, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "cache"
    folder = next((onnx_cache / "onnx").iterdir())
    (cache / "onnx" / folder.name).mkdir(parents=True)
    (cache / "onnx" / folder.name / "model.onnx").write_bytes(b"partial")
    with caplog.at_level(logging.WARNING, logger="pipeline.embedding_onnx"):
        Embedder(backend="onnx", cache_dir=cache).encode(["Warehouse associate"])
    assert "manifest is missing" in caplog.text
    assert json.loads((cache / "onnx" / folder.name / "model.json").read_text())["bytes"] > 1_000_000


def test_the_export_folder_names_the_model_and_its_files(tmp_path: Path) -> None:
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    first = export_dir(tmp_path / "cache", str(model), model)
    (model / "config.json").write_text('{"hidden_size": 8}')
    second = export_dir(tmp_path / "cache", str(model), model)
    assert first.name.startswith("my-model-") and first.name.endswith("-x1") and first != second


def test_the_setting_accepts_the_backends_and_refuses_others(tmp_path: Path) -> None:
    assert Settings(home=tmp_path).embedding_backend == "auto"
    for backend in EMBEDDING_BACKENDS:
        assert Settings(home=tmp_path, embedding_backend=backend.upper()).embedding_backend == backend
    with pytest.raises(SettingsError, match=r"embedding_backend.*use one of auto, torch, onnx, onnx-int8"):
        Settings(home=tmp_path, embedding_backend="tensorrt")


def test_the_setting_is_read_from_ippo_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IPPO_EMBEDDING_BACKEND", raising=False)
    (tmp_path / "ippo.toml").write_text('[embedding]\nbackend = "onnx"\n')
    assert Settings(home=tmp_path).embedding_backend == "onnx"


def test_backends_resolve_and_need_a_cache_folder() -> None:
    assert Embedder(backend="auto", cache_dir=Path(os.devnull)).backend == AUTO_BACKEND
    assert Embedder().backend == "torch"
    with pytest.raises(ValueError, match="cache_dir"):
        Embedder(backend="onnx")
    with pytest.raises(ValueError, match="not one of"):
        Embedder(backend="cuda")


def test_vector_keys_name_the_backend(onnx_cache: Path) -> None:
    assert vector_key(Embedder()) == "all-MiniLM-L6-v2"  # torch keeps the key of vectors cached before
    keys = {vector_key(Embedder(backend=b, cache_dir=onnx_cache)) for b in ("onnx", "onnx-int8")}
    assert keys == {"all-MiniLM-L6-v2#onnx", "all-MiniLM-L6-v2#onnx-int8"}


class _FixedEmbedder:
    """A model stand-in whose vectors say which backend made them."""

    name = "all-MiniLM-L6-v2"
    dimension = 2

    def __init__(self, backend: str, value: float) -> None:
        self.vector_key = f"{self.name}#{backend}"
        self.value = value

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 2), self.value, dtype=np.float32)


def test_the_listing_vector_cache_keeps_backends_apart(tmp_path: Path) -> None:
    rows = [("a", "k1", "Care worker . Kirara . Training provided.")]
    path = tmp_path / "embeddings.duckdb"
    first, encoded = EmbeddingCache(path, _FixedEmbedder("onnx", 1.0)).vectors_for(rows)  # type: ignore[arg-type]
    assert encoded == 1 and first[0, 0] == 1.0
    second, encoded = EmbeddingCache(path, _FixedEmbedder("onnx-int8", 2.0)).vectors_for(rows)  # type: ignore[arg-type]
    assert encoded == 1 and second[0, 0] == 2.0  # not the onnx vector
    con = duckdb.connect(str(path))
    assert sorted(r[0] for r in con.execute("SELECT model FROM text_embeddings").fetchall()) == [
        "all-MiniLM-L6-v2#onnx", "all-MiniLM-L6-v2#onnx-int8"]
    con.close()
