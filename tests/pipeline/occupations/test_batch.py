"""The batched classification path gives the answers of the plain one, listing by listing."""

from __future__ import annotations

import html
import json
import re
from functools import partial

import numpy as np

from ippo.config import LEXICAL_ONLY
from pipeline.occupations import service
from pipeline.occupations.lexical import TfidfView, WordCounts
from pipeline.occupations.model import get_matcher, top_two
from tests.conftest import FIXTURES

# Lexical views only: fast, and independent of the embedding model being installed.
classify_listing = partial(service.classify_listing, dense_view=LEXICAL_ONLY)
classify_listings = partial(service.classify_listings, dense_view=LEXICAL_ONLY)


def test_top_two_agrees_with_a_full_sort_and_breaks_ties_by_index() -> None:
    rng = np.random.default_rng(7)
    scores = rng.random((200, 50)).astype(np.float32)
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :2]
    assert np.array_equal(top_two(scores), expected)
    tied = np.array([[0.1, 0.9, 0.9, 0.2], [0.9, 0.0, 0.9, 0.9], [0.5, 0.7, 0.1, 0.7]], dtype=np.float32)
    assert top_two(tied).tolist() == [[1, 2], [0, 2], [1, 3]]


def test_transposed_matrix_gives_the_plain_product() -> None:
    view = get_matcher("onet").lexical.document_view
    assert isinstance(view, TfidfView)
    queries = ["registered nurse caring for patients", "forklift operator in a warehouse"]
    plain = (view.vectorizer.transform(queries) @ view.matrix.T).toarray()
    assert np.array_equal(view.similarities(queries).toarray(), plain)


def test_listings_with_the_same_cleaned_title_share_its_scores() -> None:
    rows = [
        ("Cashier (Part-Time)", None, "en"),
        ("Cashier", None, "en"),
        ("Cashier - Night Shift", "Run the register and help customers at a grocery store.", "en"),
        ("Registered Nurse", "Patient care on a medical ward.", "en"),
        ("看護師（パート）", None, "ja"),
        ("看護師", None, "ja"),
    ]
    batch = classify_listings(rows)
    assert batch == [classify_listing(*row) for row in rows]
    assert batch[0] is not None and batch[0]["code"] == "41-2011.00"
    assert batch[0] == batch[1]
    assert batch[4] is not None and batch[4] == batch[5]


def test_blank_titles_fall_back_to_the_description() -> None:
    rows = [("", "Operate a forklift to move pallets in the warehouse; load and unload trucks.", "en")]
    found = classify_listings(rows)[0]
    assert found is not None and found["code"] == classify_listing(*rows[0])["code"]  # type: ignore[index]
    assert found["code"].startswith("53-")


def _fixture_descriptions() -> list[str]:
    folder = FIXTURES / "payloads"
    texts = [job["descriptionPlain"] for job in json.loads((folder / "lever_palantir_postings.json").read_text())]
    board = json.loads((folder / "greenhouse_smarterdx_jobs_content.json").read_text())
    texts += [re.sub(r"<[^>]+>", " ", html.unescape(html.unescape(job["content"]))) for job in board["jobs"]]
    return texts


def test_word_counts_equal_the_vectorizer_on_real_descriptions_and_odd_texts() -> None:
    view = get_matcher("onet").lexical.document_view
    words = view._words
    assert isinstance(words, WordCounts)
    texts = _fixture_descriptions()
    assert len(texts) == 4 and min(map(len, texts)) > 1000
    texts += ["", "the and of", "C++ and C# developer; C++ developer", "ＳＥ café NAÏVE déjà-vu", "nurse " * 50]
    fast, plain = words.transform(texts), view.vectorizer.transform(texts)
    assert fast.has_sorted_indices
    assert np.array_equal(fast.indptr, plain.indptr)
    assert np.array_equal(fast.indices, plain.indices)
    assert np.array_equal(fast.data, plain.data) and fast.dtype == plain.dtype
    assert np.array_equal(view.similarities(texts[:4]).toarray(), (plain[:4] @ view.matrix.T).toarray())
