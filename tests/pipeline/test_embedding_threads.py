"""Torch's thread count is process-wide; each embedder sets the one it needs when it encodes."""

from __future__ import annotations

from pipeline.embedding import Embedder, available_cores


def test_a_batch_embedder_after_a_one_thread_embedder_uses_every_core(embedder: Embedder) -> None:
    import torch

    one = Embedder(embedder.name, threads=1)
    one._model = embedder._load()  # share the loaded model: only the thread setting is under test
    one.encode(["Care worker, part-time"])
    assert torch.get_num_threads() == 1
    batch = Embedder(embedder.name)
    batch._model = one._model
    vectors = batch.encode(["Care worker, part-time", "Warehouse associate"])
    assert torch.get_num_threads() == available_cores() and vectors.shape == (2, 384)
