"""Lexical relevance by TF-IDF over terms that respect word and term boundaries, in one index
for Japanese and English text.

Two views of the same text, each a TF-IDF cosine, are combined:

- **terms**: whole words of spaced (Latin) script, lower-cased, with regular plurals folded
  ("nurses" -> "nurse"), and whole kanji and katakana runs of Japanese, where the change of
  script marks a term boundary ("データ入力" -> データ, 入力). A skill such as "Excel" matches
  the word Excel, never "Excellence".
- **grams**: character 2-3-grams inside each word or run, padded at its ends, never across a
  word or script boundary. They keep what whole terms miss (administrator / administrative,
  正看護師 / 看護師) at a lower weight, so a listing that shares the word outranks one that
  shares only its letters.

Common English function words count in neither view. Each view's matrix is kept column-major
(one posting list per term), so scoring a query touches only the postings of its own terms.
"""

from __future__ import annotations

import pickle
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.text.fold import fold

# The share of the score that whole terms carry; the within-term character grams carry the rest.
TERM_WEIGHT = 0.3

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff"
_HIRAGANA = "\u3041-\u309f"
# A kanji run, a katakana run, a hiragana run, or a word of any other letters and digits (with
# a trailing + or # as in C++ and C#).
_PIECES = re.compile(
    rf"(?P<kanji>[{_KANJI}]+)|(?P<katakana>[{_KATAKANA}]+)|(?P<hiragana>[{_HIRAGANA}]+)"
    rf"|(?P<word>[^\W_{_KANJI}{_KATAKANA}{_HIRAGANA}]+[+#]*)"
)
# Words too common to say what a job is: English function words, and the Japanese words every
# listing and every wish uses (仕事 "work", 募集 "hiring", 希望 "wish", ...).
_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it's", "of", "on", "or", "our",
    "the", "this", "to", "we", "will", "with", "you", "your",
    "仕事", "求人", "募集", "勤務", "希望", "応募", "職場", "探",
})


@lru_cache(maxsize=1 << 16)
def fold_plural(word: str) -> str:
    """The singular of a regular English plural ("nurses" -> "nurse", "companies" -> "company");
    other words unchanged ("business", "status", "analysis")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def text_pieces(text: str) -> list[tuple[str, str]]:
    """(kind, piece) for each word or script run of the folded, lower-cased text; kind is kanji,
    katakana, hiragana or word. Stop words and bare numbers ("3" of "Level 3", "20" of "20 hours")
    are left out: they say nothing about the work."""
    pieces = []
    for match in _PIECES.finditer(fold(text).lower()):
        kind = match.lastgroup or "word"
        piece = match.group()
        if piece in _STOP_WORDS or piece.isdigit():
            continue
        if kind == "word":
            piece = fold_plural(piece)
        pieces.append((kind, piece))
    return pieces


class WholeTerms:
    """Text -> whole terms: words, and kanji or katakana runs of two characters or more.
    Hiragana runs are mostly particles and inflections, and a lone kanji is mostly the stem of
    a verb (立 of 立つ and 組み立て): neither is a term, though both still count through the
    grams. A class, not a closure, so a fitted vectorizer holding it can be pickled into the cache."""

    def __call__(self, text: str) -> list[str]:
        return [piece for kind, piece in text_pieces(text)
                if kind == "word" or (kind != "hiragana" and len(piece) > 1)]


class InnerGrams:
    """Text -> character n-grams inside each word, kanji run or katakana run, padded with a
    space at each end. Hiragana runs (particles, inflections: の, をとる, したい) say nothing
    about the work and are left out."""

    def __init__(self, ngram_range: tuple[int, int] = (2, 3)) -> None:
        self.ngram_range = ngram_range

    def __call__(self, text: str) -> list[str]:
        low, high = self.ngram_range
        grams: list[str] = []
        for kind, piece in text_pieces(text):
            if kind == "hiragana":
                continue
            padded = f" {piece} "
            for n in range(low, high + 1):
                grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
        return grams


class TfidfView:
    """One TF-IDF view: a vectorizer with its own analyzer and the column-major document matrix."""

    def __init__(self, analyzer: WholeTerms | InnerGrams, max_features: int | None) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer=analyzer, lowercase=False, sublinear_tf=True, min_df=1, max_features=max_features,
            dtype=np.float32,
        )
        self.matrix: sparse.csc_matrix | None = None

    def fit(self, documents: list[str]) -> None:
        self.matrix = self.vectorizer.fit_transform(documents).tocsc()
        # Only needed for introspection, and large: dropping it is documented as safe.
        self.vectorizer.stop_words_ = None

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(column ids, weights) of the query: the view's analyzer, sublinear tf, idf and L2 norm,
        computed directly (sklearn's transform spends ~10 ms validating one string)."""
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for term in self.vectorizer.analyzer(query):
            column = vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        weights = tf * self.vectorizer.idf_[columns]
        weights /= np.linalg.norm(weights)
        return columns, weights.astype(np.float32)

    def scores(self, query: str, size: int) -> np.ndarray:
        """Cosine similarity of the query with every document (rows are L2-normalized)."""
        if self.matrix is None:
            return np.zeros(size, dtype=np.float32)
        columns, weights = self.query_vector(query)
        if len(columns) == 0:
            return np.zeros(size, dtype=np.float32)
        return np.asarray(self.matrix[:, columns] @ weights).ravel().astype(np.float32, copy=False)

    def nbytes(self) -> int:
        matrix = self.matrix
        return 0 if matrix is None else matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes


class LexicalIndex:
    """Whole terms and inner grams of every document; a query's score is their weighted cosines."""

    def __init__(self, max_features: int | None = 400_000) -> None:
        self.terms = TfidfView(WholeTerms(), max_features)
        self.grams = TfidfView(InnerGrams(), max_features)
        self.size = 0

    def fit(self, documents: list[str]) -> LexicalIndex:
        self.size = len(documents)
        if documents:
            self.terms.fit(documents)
            self.grams.fit(documents)
        return self

    def scores(self, query: str) -> np.ndarray:
        """TERM_WEIGHT x the whole-term cosine + the rest x the inner-gram cosine, in [0, 1]."""
        terms = self.terms.scores(query, self.size)
        grams = self.grams.scores(query, self.size)
        return (TERM_WEIGHT * terms + (1.0 - TERM_WEIGHT) * grams).astype(np.float32, copy=False)

    def nbytes(self) -> int:
        return self.terms.nbytes() + self.grams.nbytes()

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        state = {"terms": self.terms.vectorizer, "grams": self.grams.vectorizer, "size": self.size}
        with (folder / "lexical_vectorizers.pkl").open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for name, view in (("terms", self.terms), ("grams", self.grams)):
            if view.matrix is not None:
                sparse.save_npz(folder / f"lexical_{name}.npz", view.matrix, compressed=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load what save wrote. The pickle is our own cache file under $IPPO_HOME, never user input."""
        index = cls()
        with (folder / "lexical_vectorizers.pkl").open("rb") as handle:
            state = pickle.load(handle)  # written by save() into our own cache folder
        index.size = int(state["size"])
        for name, view in (("terms", index.terms), ("grams", index.grams)):
            view.vectorizer = state[name]
            path = folder / f"lexical_{name}.npz"
            view.matrix = sparse.load_npz(path).tocsc() if path.exists() else None
        return index
