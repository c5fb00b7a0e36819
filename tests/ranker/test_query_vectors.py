"""The cache of query vectors: same vectors as the encoder, one encode per text, bounded, no texts kept."""

from __future__ import annotations

import numpy as np
import pytest

from ranker.query_vectors import QueryVectorCache


class CountingEncoder:
    """A vector per text that depends on the text only; counts the texts it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        rows = [np.random.default_rng(abs(hash(text)) % 2**32).random(8, dtype=np.float32) for text in texts]
        return np.stack(rows) if rows else np.zeros((0, 8), dtype=np.float32)


def test_a_repeated_text_gets_the_encoders_vector_without_a_second_encode() -> None:
    encoder = CountingEncoder()
    cache = QueryVectorCache(encoder)
    first = cache.encode(["看護師\n看護師"])
    again = cache.encode(["看護師\n看護師"])
    assert first.shape == (1, 8)
    np.testing.assert_array_equal(first, encoder.encode(["看護師\n看護師"]))
    np.testing.assert_array_equal(again, first)
    assert encoder.asked.count("看護師\n看護師") == 2  # once through the cache, once by this test
    assert (cache.hits, cache.misses) == (1, 1)


def test_the_least_recently_used_text_goes_first_and_the_size_stays_bounded() -> None:
    encoder = CountingEncoder()
    cache = QueryVectorCache(encoder, max_entries=2)
    cache.encode(["a"])
    cache.encode(["b"])
    cache.encode(["a"])  # "a" used last: "b" is the one to go
    cache.encode(["c"])
    assert len(cache) == 2
    cache.encode(["a"])
    cache.encode(["b"])
    assert encoder.asked == ["a", "b", "c", "b"]


def test_several_texts_pass_through_and_vectors_cannot_be_changed_in_place() -> None:
    encoder = CountingEncoder()
    cache = QueryVectorCache(encoder)
    assert cache.encode(["x", "y"]).shape == (2, 8)
    assert len(cache) == 0 and encoder.asked == ["x", "y"]
    vector = cache.encode(["x"])
    with pytest.raises(ValueError):
        vector[0, 0] = 1.0


def test_the_cache_keeps_digests_not_the_texts() -> None:
    cache = QueryVectorCache(CountingEncoder())
    cache.encode(["うつ病の治療中です"])
    keys = list(cache._vectors)
    assert all(isinstance(key, bytes) and len(key) == 16 for key in keys)
    assert "うつ病".encode() not in b"".join(keys)


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        QueryVectorCache(CountingEncoder(), max_entries=0)
