"""Two baseline rankers for the recommendation evaluation (benchmarks/eval_recommend.py).

Both rank the same open listings of a snapshot as ippo does (open, not a duplicate, not past
valid_through) against the same query text (``AptitudeProfile.query_text``: desired titles twice,
skills, summary), and both read only what a simple search engine would:

- ``bm25``: Okapi BM25 (k1 = 1.2, b = 0.75) over title + description, with naive filters only:
  the listing must name a country among the profile's wanted countries, and be fully remote when
  the profile requires remote work (not fully remote when it avoids it). English is split into
  lower-cased words, Japanese (which has no spaces) into character bigrams.
- ``dense``: cosine similarity only, no filters. English profiles use the snapshot's MiniLM
  listing vectors and the profile's MiniLM query vector; Japanese profiles (MiniLM is an English
  model) a TF-IDF index of character 2-3-grams over title + description.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from pipeline.embedding import Embedder
from ranker.profile import AptitudeProfile
from ranker.recommend import query_vector_for
from ranker.serving_index import ServingIndex

BM25_K1 = 1.2
BM25_B = 0.75
DESCRIPTION_CHARS = 2_000
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ー]+")


def tokens(text: str) -> list[str]:
    """Lower-cased words of Latin text and character bigrams of Japanese runs."""
    lowered = text.lower()
    words = _WORD.findall(_CJK_RUN.sub(" ", lowered))
    for run in _CJK_RUN.findall(lowered):
        words.extend(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    return words


def document(row: dict[str, Any]) -> str:
    return f"{row.get('title') or ''}\n{(row.get('description') or '')[:DESCRIPTION_CHARS]}"


@dataclass
class BaselineCorpus:
    """The open listings of a snapshot, with the texts and fields the baselines read."""

    positions: np.ndarray  # positions in the serving index
    rows: list[dict[str, Any]]
    index: ServingIndex

    @classmethod
    def of(cls, index: ServingIndex) -> BaselineCorpus:
        positions = np.flatnonzero(index.open_mask())
        return cls(positions=positions, rows=index.rows_at([int(p) for p in positions]), index=index)

    @property
    def ids(self) -> list[str]:
        return [row["id"] for row in self.rows]


class BM25:
    """Okapi BM25 over a fixed set of documents."""

    def __init__(self, documents: Sequence[str], k1: float = BM25_K1, b: float = BM25_B) -> None:
        self.vectorizer = CountVectorizer(analyzer=tokens)
        counts = sparse.csc_matrix(self.vectorizer.fit_transform(documents), dtype=np.float64)
        n_docs = counts.shape[0]
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        df = np.diff(counts.indptr)
        self.idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        norm = k1 * (1.0 - b + b * lengths / max(lengths.mean(), 1e-9))
        weighted = counts.tocoo()
        values = weighted.data * (k1 + 1.0) / (weighted.data + norm[weighted.row])
        self.weights = sparse.csc_matrix((values, (weighted.row, weighted.col)), shape=counts.shape)

    def scores(self, query: str) -> np.ndarray:
        """BM25 of every document for the query (each distinct query term counted once)."""
        vocabulary = self.vectorizer.vocabulary_
        terms = sorted({vocabulary[t] for t in tokens(query) if t in vocabulary})
        if not terms:
            return np.zeros(self.weights.shape[0])
        return np.asarray(self.weights[:, terms] @ self.idf[terms]).ravel()


def _countries(row: dict[str, Any]) -> set[str]:
    return {str(place.get("country") or "").upper() for place in row.get("locations") or [] if place.get("country")}


def naive_filter(rows: Sequence[dict[str, Any]], profile: AptitudeProfile) -> np.ndarray:
    """The BM25 baseline's filters: a wanted country named, and the remote flag."""
    keep = np.ones(len(rows), dtype=bool)
    wanted = {place.country for place in profile.constraints.locations if place.country}
    remote = profile.constraints.remote
    for i, row in enumerate(rows):
        in_country = not wanted or bool(_countries(row) & wanted)
        is_remote = row.get("remote") == "remote"
        keep[i] = in_country and not (remote == "required" and not is_remote) and not (remote == "avoid" and is_remote)
    return keep


def _top(ids: list[str], scores: np.ndarray, keep: np.ndarray, k: int) -> list[str]:
    candidates = np.flatnonzero(keep & (scores > 0))
    order = candidates[np.lexsort((candidates, -scores[candidates]))]
    return [ids[i] for i in order[:k]]


class Baselines:
    """Both baselines over one corpus, fitted once and asked per profile."""

    def __init__(self, corpus: BaselineCorpus, embedder: Embedder | None) -> None:
        self.corpus = corpus
        self.embedder = embedder
        documents = [document(row) for row in corpus.rows]
        self.bm25 = BM25(documents)
        self.char_tfidf = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
        self.char_matrix = self.char_tfidf.fit_transform(documents)

    def bm25_top(self, profile: AptitudeProfile, k: int = 10) -> list[str]:
        scores = self.bm25.scores(profile.query_text())
        return _top(self.corpus.ids, scores, naive_filter(self.corpus.rows, profile), k)

    def dense_top(self, profile: AptitudeProfile, k: int = 10) -> list[str]:
        keep = np.ones(len(self.corpus.rows), dtype=bool)
        vectors = self.corpus.index.vectors
        if profile.language != "ja" and vectors is not None and self.embedder is not None:
            query = query_vector_for(profile, self.embedder)
            if query is not None:
                listing = vectors[self.corpus.positions]
                norms = np.linalg.norm(listing, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
                scores = (listing @ query) / np.maximum(norms, 1e-12)
                return _top(self.corpus.ids, scores + 2.0, keep, k)  # cosine may be negative; all stay ranked
        query_row = self.char_tfidf.transform([profile.query_text()])
        scores = np.asarray((self.char_matrix @ query_row.T).todense()).ravel()
        return _top(self.corpus.ids, scores, keep, k)
