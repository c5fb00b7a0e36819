"""Lexical relevance by character n-grams, which work for Japanese (no word segmentation
needed) as well as for English spelling variants."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


class CharNgramIndex:
    def __init__(self, ngram_range: tuple[int, int] = (2, 3), max_features: int | None = 400_000) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, min_df=1,
            max_features=max_features, dtype=np.float32,
        )
        self.matrix: sparse.csr_matrix | None = None

    def fit(self, documents: list[str]) -> CharNgramIndex:
        if documents:
            self.matrix = self.vectorizer.fit_transform(documents).tocsr()
        return self

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every document (rows are L2-normalized)."""
        if self.matrix is None:
            return np.zeros(0, dtype=np.float32)
        vector = self.vectorizer.transform([query])
        return np.asarray((self.matrix @ vector.T).toarray()).ravel().astype(np.float32)
