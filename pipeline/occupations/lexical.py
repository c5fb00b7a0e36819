"""Lexical occupation matching: TF-IDF over titles and over whole occupation documents.

Two views of an occupation are scored separately because queries come in two shapes. A
listing title ("RN - Night Shift") is best matched against the individual titles an
occupation is known by, taking the best single title (max-pooling), so one precise
alternate title is not diluted by a hundred others. A long text (a description, a resume)
is best matched against the occupation's whole document: titles, description, tasks and
key technology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.occupations.text import nfkc

# Word tokens keep programming-language spellings (c++, c#) and one-letter words.
_EN_TOKEN = r"(?u)\b\w[\w+#]*"
_CHUNK = 256
# Title support bonus (see LexicalIndex.title_scores), tuned on the dev titles.
SUPPORT_MIN = 0.5
SUPPORT_WEIGHT = 0.15


def title_rows(records: Sequence[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Every title of every occupation, with the index of the occupation it belongs to."""
    texts: list[str] = []
    owners: list[int] = []
    for index, record in enumerate(records):
        for title in [record["title"], *record.get("alt_titles", []), *record.get("aliases", [])]:
            texts.append(title)
            owners.append(index)
    return texts, owners


def onet_document(record: dict[str, Any]) -> str:
    return " . ".join(
        [
            record["title"],
            record["title"],
            " ; ".join(record.get("alt_titles", [])),
            record["description"],
            " ".join(record.get("tasks", [])),
            " ; ".join(record.get("technology", [])),
        ]
    )


def jobtag_document(record: dict[str, Any]) -> str:
    return "。".join(
        [
            record["title"],
            record["title"],
            "、".join(record.get("aliases", [])),
            record.get("description", ""),
            "、".join(record.get("qualifications", [])),
        ]
    )


def _english_title_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True, dtype=np.float32)


def _english_word_vectorizer(min_df: int = 1) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=_EN_TOKEN,
        ngram_range=(1, 2),
        lowercase=True,
        stop_words="english",
        sublinear_tf=True,
        min_df=min_df,
        dtype=np.float32,
    )


def _japanese_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(2, 3),
        lowercase=True,
        preprocessor=lambda text: nfkc(text).lower(),
        sublinear_tf=True,
        dtype=np.float32,
    )


@dataclass
class TfidfView:
    """A fitted vectorizer and its L2-normalized document matrix.

    The transposed matrix is kept in CSR form: a product with a CSC right-hand side makes
    scipy convert it on every call, which cost as much as a tenth of a batch's scoring.
    """

    vectorizer: TfidfVectorizer
    matrix: sp.csr_matrix
    transposed: sp.csr_matrix = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.transposed = self.matrix.T.tocsr()

    @classmethod
    def fit(cls, vectorizer: TfidfVectorizer, documents: Sequence[str]) -> TfidfView:
        matrix = vectorizer.fit_transform(documents).tocsr()
        return cls(vectorizer, matrix)

    def similarities(self, queries: Sequence[str]) -> sp.csr_matrix:
        """Cosine similarity of each query to each document (sparse, queries x documents)."""
        return (self.vectorizer.transform(queries) @ self.transposed).tocsr()


class LexicalIndex:
    """Title view (max-pooled over titles) plus document view for one taxonomy."""

    def __init__(self, records: Sequence[dict[str, Any]], language: str) -> None:
        self.language = language
        texts, owners = title_rows(records)
        order = np.argsort(np.asarray(owners), kind="stable")
        self.title_texts = [texts[i] for i in order]
        owner_sorted = np.asarray(owners)[order]
        # Start row of each occupation's run of titles, for np.maximum.reduceat.
        self._starts = np.flatnonzero(np.r_[True, owner_sorted[1:] != owner_sorted[:-1]])
        if len(self._starts) != len(records):
            raise ValueError("every occupation needs at least one title")
        if language == "ja":
            self.title_view = TfidfView.fit(_japanese_vectorizer(), self.title_texts)
            documents = [jobtag_document(r) for r in records]
            self.document_view = TfidfView.fit(_japanese_vectorizer(), documents)
        else:
            self.title_view = TfidfView.fit(_english_title_vectorizer(), self.title_texts)
            documents = [onet_document(r) for r in records]
            self.document_view = TfidfView.fit(_english_word_vectorizer(min_df=1), documents)

    def title_scores(self, queries: Sequence[str]) -> np.ndarray:
        """Best title similarity per occupation, plus a small bonus for support by several
        close titles (queries x occupations).

        The bonus separates occupations that share one title: "Forklift Operator" is an
        alternate title of three O*NET occupations, but only one of them also has "Forklift
        Driver" and "Forklift Truck Operator".
        """
        out = np.zeros((len(queries), len(self._starts)), dtype=np.float32)
        for begin in range(0, len(queries), _CHUNK):
            block = self.title_view.similarities(queries[begin : begin + _CHUNK]).toarray()
            best = np.maximum.reduceat(block, self._starts, axis=1)
            block[block < SUPPORT_MIN] = 0.0  # in place: the block is not needed otherwise
            close = np.add.reduceat(block, self._starts, axis=1)
            out[begin : begin + len(block)] = best + SUPPORT_WEIGHT * np.log1p(close)
        return out

    def document_scores(self, queries: Sequence[str]) -> np.ndarray:
        """Similarity of each query to each whole occupation document (queries x occupations)."""
        out = np.zeros((len(queries), len(self._starts)), dtype=np.float32)
        for begin in range(0, len(queries), _CHUNK):
            block = self.document_view.similarities(queries[begin : begin + _CHUNK]).toarray()
            out[begin : begin + len(block)] = block
        return out


class BM25View:
    """Okapi BM25 over whole occupation documents (k1=1.2, b=0.75), for comparison with TF-IDF.

    The document side is precomputed into one sparse matrix of saturated term weights, so a
    batch of queries is one sparse product.
    """

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(
            analyzer="word", token_pattern=_EN_TOKEN, lowercase=True, stop_words="english", dtype=np.float32
        )
        counts = self.vectorizer.fit_transform(documents).tocsr().astype(np.float32)
        n_docs = counts.shape[0]
        doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5)).astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * lengths / lengths.mean())
        rows = np.repeat(np.arange(n_docs), np.diff(counts.indptr))
        tf = counts.data
        counts.data = idf[counts.indices] * tf * (k1 + 1) / (tf + norm[rows])
        self.matrix = counts

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        query = self.vectorizer.transform(queries)
        query.data = np.ones_like(query.data)
        return np.asarray((query @ self.matrix.T).toarray(), dtype=np.float32)
