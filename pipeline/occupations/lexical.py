"""Lexical occupation matching: TF-IDF over titles and over whole occupation documents.

Two views of an occupation are scored separately because queries come in two shapes. A
listing title ("RN - Night Shift") is best matched against the individual titles an
occupation is known by, taking the best single title (max-pooling), so one precise
alternate title is not diluted by a hundred others. A long text (a description, a resume)
is best matched against the occupation's whole document: titles, description, tasks and
key technology.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.occupations.long_text import title_lines
from pipeline.occupations.text import nfkc

# Word tokens keep programming-language spellings (c++, c#) and one-letter words.
_EN_TOKEN = r"(?u)\b\w[\w+#]*"
_CHUNK = 256
# Mean length from which a batch is counted by WordCounts rather than by scikit-learn.
_LONG_TEXT_CHARS = 300
# Title support bonus (see LexicalIndex.title_scores), tuned on the dev titles.
SUPPORT_MIN = 0.5
SUPPORT_WEIGHT = 0.15
# A long text's title view: the mean of its best BEST_LINES title-like lines per occupation
# (chosen on the tuning half of the resume split; 1, 3 and 5 tried).
BEST_LINES = 3
# Long texts whose lines are scored together (a resume has a few dozen title-like lines).
_LONG_TEXTS_PER_CHUNK = 32


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


class WordCounts:
    """The uni- and bigram counts a fitted word TfidfVectorizer would make, with fewer Python steps.

    scikit-learn joins every bigram into a string and updates a dictionary once per n-gram,
    which made long listing descriptions the slowest part of classifying them. Here each
    token is looked up once; a bigram is a pair of token numbers looked up in a sorted array.
    The counts are the same: the vocabulary was fitted without pruning (min_df 1, no max_df,
    no max_features), so both words of any known bigram are known unigrams. The TF-IDF
    weighting and normalization are then the vectorizer's own.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._lookup = vocabulary.get
        self._stop = vectorizer.get_stop_words() or frozenset()
        self._tokens = re.compile(vectorizer.token_pattern).findall
        self.n_features = len(vocabulary)
        keys: list[int] = []
        columns: list[int] = []
        for term, column in vocabulary.items():
            if " " in term:
                first, second = term.split(" ")
                keys.append(vocabulary[first] * self.n_features + vocabulary[second])
                columns.append(column)
        order = np.argsort(np.asarray(keys, dtype=np.int64))
        self._bigram_keys = np.asarray(keys, dtype=np.int64)[order]
        self._bigram_columns = np.asarray(columns, dtype=np.int64)[order]

    @staticmethod
    def supports(vectorizer: TfidfVectorizer) -> bool:
        """Only the configuration whose counts this class reproduces exactly."""
        return (
            vectorizer.analyzer == "word"
            and vectorizer.ngram_range == (1, 2)
            and vectorizer.lowercase
            and vectorizer.strip_accents is None
            and vectorizer.preprocessor is None
            and vectorizer.tokenizer is None
            and vectorizer.min_df == 1
            and vectorizer.max_df == 1.0
            and vectorizer.max_features is None
            and vectorizer.vocabulary is None
            and not vectorizer.binary
            and hasattr(vectorizer, "_tfidf")
        )

    def _features(self, text: str) -> np.ndarray:
        tokens = [token for token in self._tokens(text.lower()) if token not in self._stop]
        ids = np.fromiter(map(self._lookup, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        found = [ids[ids >= 0]]
        if len(ids) > 1:
            first, second = ids[:-1], ids[1:]
            keys = (first * self.n_features + second)[(first >= 0) & (second >= 0)]
            at = np.minimum(np.searchsorted(self._bigram_keys, keys), len(self._bigram_keys) - 1)
            found.append(self._bigram_columns[at[self._bigram_keys[at] == keys]])
        return np.concatenate(found)

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Documents x features counts, indices sorted, as CountVectorizer makes them."""
        features = [self._features(text) for text in texts]
        lengths = np.fromiter((len(f) for f in features), dtype=np.int64, count=len(features))
        keys = np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * self.n_features
        keys += np.concatenate(features) if features else np.zeros(0, dtype=np.int64)
        unique, counts = np.unique(keys, return_counts=True)
        rows = unique // self.n_features
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
        columns = (unique % self.n_features).astype(np.int32)
        return sp.csr_matrix(
            (counts.astype(self.vectorizer.dtype), columns, indptr.astype(np.int32)),
            shape=(len(texts), self.n_features),
        )

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """What vectorizer.transform(texts) returns."""
        return sp.csr_matrix(self.vectorizer._tfidf.transform(self.counts(texts), copy=False))


@dataclass
class TfidfView:
    """A fitted vectorizer and its L2-normalized document matrix.

    The transposed matrix is kept in CSR form: a product with a CSC right-hand side makes
    scipy convert it on every call, which cost as much as a tenth of a batch's scoring.
    """

    vectorizer: TfidfVectorizer
    matrix: sp.csr_matrix
    transposed: sp.csr_matrix = field(init=False, repr=False)
    _words: WordCounts | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.transposed = self.matrix.T.tocsr()
        self._words = WordCounts(self.vectorizer) if WordCounts.supports(self.vectorizer) else None

    def transform(self, queries: Sequence[str]) -> sp.csr_matrix:
        """The vectorizer's transform; long texts (descriptions) through WordCounts when it applies.

        For titles the array steps cost more than they save (measured 4x slower), so batches
        of short texts keep scikit-learn's own path.
        """
        if self._words is not None and queries and sum(map(len, queries)) >= _LONG_TEXT_CHARS * len(queries):
            return self._words.transform(queries)
        return self.vectorizer.transform(queries)

    @classmethod
    def fit(cls, vectorizer: TfidfVectorizer, documents: Sequence[str]) -> TfidfView:
        matrix = vectorizer.fit_transform(documents).tocsr()
        return cls(vectorizer, matrix)

    def similarities(self, queries: Sequence[str]) -> sp.csr_matrix:
        """Cosine similarity of each query to each document (sparse, queries x documents)."""
        return (self.transform(queries) @ self.transposed).tocsr()


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

    def long_title_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Title view of long texts: per occupation, the mean of the BEST_LINES best scores of
        the text's title-like lines (pipeline.occupations.long_text); a text without such
        lines is scored whole, as title_scores does (texts x occupations).

        One title_scores call for the lines of a chunk of texts, then a reduction per text.
        """
        out = np.zeros((len(texts), len(self._starts)), dtype=np.float32)
        for begin in range(0, len(texts), _LONG_TEXTS_PER_CHUNK):
            chunk = texts[begin : begin + _LONG_TEXTS_PER_CHUNK]
            per_text = [title_lines(text) or [text] for text in chunk]
            scores = self.title_scores([line for lines in per_text for line in lines])
            start = 0
            for row, lines in enumerate(per_text, start=begin):
                block = scores[start : start + len(lines)]
                if len(lines) > BEST_LINES:
                    block = np.partition(block, len(lines) - BEST_LINES, axis=0)[-BEST_LINES:]
                out[row] = block.mean(axis=0)
                start += len(lines)
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
