"""The dense view is asked only about titles the lexical views leave uncertain.

A stand-in dense view records what it is asked and answers a fixed score per text, so these
tests run without the embedding model and check the gate, the job queue and the fusion.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from ippo.config import LEXICAL_ONLY, DenseView
from pipeline.occupations import model, service
from pipeline.occupations.model import DENSE_GATE_MARGIN, Matcher, get_matcher, is_short

WITH_DENSE = DenseView(enabled=True)


class RecordingDense:
    """Dense scores that depend on the text only: a one-hot at an occupation the text names."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[str] = []
        self.fail = fail

    def __call__(self, matcher: Matcher, queries: Sequence[str], view: DenseView, worker: int = 0) -> np.ndarray | None:
        self.asked.extend(queries)
        if self.fail:
            return None
        out = np.zeros((len(queries), len(matcher.codes)), dtype=np.float32)
        for row, query in enumerate(queries):
            out[row, zlib.crc32(query.encode()) % len(matcher.codes)] = 1.0
        return out


def install(monkeypatch: pytest.MonkeyPatch, fake: RecordingDense) -> RecordingDense:
    def dense(matcher: Matcher, queries: Sequence[str], view: DenseView, worker: int = 0) -> np.ndarray | None:
        return fake(matcher, queries, view, worker)

    monkeypatch.setattr(model.Matcher, "_dense", dense)
    return fake


@pytest.fixture()
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingDense]:
    yield install(monkeypatch, RecordingDense())


def test_only_uncertain_titles_are_sent_to_the_dense_view(recording: RecordingDense) -> None:
    matcher = get_matcher("onet")
    queries = ["Registered Nurse", "Associate", "", "Forklift Operator", "Team Member"]
    views, asked = matcher.gated_components(queries, dense_view=WITH_DENSE)
    confident = matcher.lexical_confident(views, np.array([is_short(q) for q in queries]))
    assert confident[0] and not confident[1]  # a clear title, and one that could be anything
    assert recording.asked == [q for q, sure in zip(queries, confident, strict=True) if q and not sure]
    assert asked.tolist() == [bool(q) and not sure for q, sure in zip(queries, confident, strict=True)]
    assert not views["dense"][~asked].any()


def test_gated_fusion_is_lexical_where_confident_and_hybrid_where_uncertain(recording: RecordingDense) -> None:
    matcher = get_matcher("onet")
    queries = ["Registered Nurse", "Associate", "Team Member", "Pharmacist"]
    short = np.ones(len(queries), dtype=bool)
    views, asked = matcher.gated_components(queries, dense_view=WITH_DENSE)
    assert asked.any() and not asked.all()
    fused = matcher.fuse(views, short, asked)
    lexical = matcher.fuse({"title": views["title"], "document": views["document"]}, short)
    hybrid = matcher.fuse(views, short)
    assert np.array_equal(fused[~asked], lexical[~asked])
    assert np.array_equal(fused[asked], hybrid[asked])


def test_many_chunks_give_each_row_its_own_dense_scores(recording: RecordingDense) -> None:
    matcher = get_matcher("onet")
    words = ["Associate", "Specialist", "Coordinator", "Lead", "Manager", "Assistant", "Team Member"]
    queries = [f"{words[i % len(words)]} {i}" for i in range(3 * model._GATE_CHUNK + 17)]
    views, asked = matcher.gated_components(queries, dense_view=WITH_DENSE)
    assert asked.sum() == len(recording.asked) > model._GATE_CHUNK
    expected = RecordingDense()(matcher, [q for q, a in zip(queries, asked, strict=True) if a], WITH_DENSE)
    assert expected is not None
    assert np.array_equal(views["dense"][asked], expected)


def test_a_failing_dense_view_leaves_the_lexical_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, RecordingDense(fail=True))
    matcher = Matcher("onet")
    views, asked = matcher.gated_components(["Associate", "Registered Nurse"], dense_view=WITH_DENSE)
    assert "dense" not in views and not asked.any()


def test_a_confident_listing_is_classified_as_the_lexical_views_alone_classify_it(recording: RecordingDense) -> None:
    rows = [
        ("Registered Nurse (Night Shift)", "Patient care on a medical ward.", "en"),
        ("Dental Hygienist", None, "en"),
    ]
    assert service.classify_listings(rows, dense_view=WITH_DENSE) == service.classify_listings(
        rows, dense_view=LEXICAL_ONLY
    )
    assert recording.asked == []


def test_one_listing_and_a_batch_agree_with_the_gate(recording: RecordingDense) -> None:
    rows = [
        ("Registered Nurse", None, "en"),
        ("Associate", "Help customers at the pharmacy counter.", "en"),
        ("Team Member - Part-Time", None, "en"),
        ("看護師", None, "ja"),
    ]
    batch = service.classify_listings(rows, dense_view=WITH_DENSE)
    assert batch == [service.classify_listing(*row, dense_view=WITH_DENSE) for row in rows]


def test_the_gate_is_set_for_onet_only() -> None:
    assert set(DENSE_GATE_MARGIN) == {"onet"} and 0 < DENSE_GATE_MARGIN["onet"] < 1
    assert not get_matcher("jobtag").lexical_confident(
        get_matcher("jobtag").components(["看護師"], use_dense=False), np.array([True])
    ).any()
