"""Lexical relevance by character n-grams, which work for Japanese (no word segmentation
needed) as well as for English spelling variants.

The document matrix is kept column-major (one posting list per n-gram), so scoring a query
touches only the postings of the query's own n-grams instead of the whole matrix.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


class CharNgramIndex:
    def __init__(self, ngram_range: tuple[int, int] = (2, 3), max_features: int | None = 400_000) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, min_df=1,
            max_features=max_features, dtype=np.float32,
        )
        self.matrix: sparse.csc_matrix | None = None
        self.size = 0

    def fit(self, documents: list[str]) -> CharNgramIndex:
        self.size = len(documents)
        if documents:
            self.matrix = self.vectorizer.fit_transform(documents).tocsc()
            # Only needed for introspection, and large: dropping it is documented as safe.
            self.vectorizer.stop_words_ = None
        return self

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(column ids, weights) of the query: the vectorizer's own analyzer, sublinear tf, idf and
        L2 norm, computed directly (sklearn's transform spends ~10 ms validating one string)."""
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for gram in self.vectorizer.build_analyzer()(query):
            column = vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        weights = tf * self.vectorizer.idf_[columns]
        weights /= np.linalg.norm(weights)
        return columns, weights.astype(np.float32)

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every document (rows are L2-normalized)."""
        if self.matrix is None:
            return np.zeros(self.size, dtype=np.float32)
        columns, weights = self.query_vector(query)
        if len(columns) == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.matrix[:, columns] @ weights).ravel().astype(np.float32, copy=False)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "lexical_vectorizer.pkl").open("wb") as handle:
            pickle.dump({"vectorizer": self.vectorizer, "size": self.size}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        if self.matrix is not None:
            sparse.save_npz(folder / "lexical_matrix.npz", self.matrix, compressed=False)

    @classmethod
    def load(cls, folder: Path) -> CharNgramIndex:
        """Load what save wrote. The pickle is our own cache file under $IPPO_HOME, never user input."""
        index = cls()
        with (folder / "lexical_vectorizer.pkl").open("rb") as handle:
            state = pickle.load(handle)  # written by save() into our own cache folder
        index.vectorizer = state["vectorizer"]
        index.size = int(state["size"])
        matrix_path = folder / "lexical_matrix.npz"
        index.matrix = sparse.load_npz(matrix_path).tocsc() if matrix_path.exists() else None
        return index
