"""Width folding of occupation titles and queries for the lexical matcher.

Plain NFKC only (no mojibake repair or dash mapping, unlike pipeline.text.fold): the shipped
occupation tables and their TF-IDF vocabularies were built in this form, so queries must match it.
Whether a query is Japanese is pipeline.text.language.is_japanese.
"""

from __future__ import annotations

import unicodedata

__all__ = ["nfkc"]


def nfkc(text: str) -> str:
    """Width-fold (ＳＥ -> SE, ｶﾅ -> カナ) so full- and half-width spellings match."""
    return unicodedata.normalize("NFKC", text)
