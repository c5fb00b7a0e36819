"""Small text helpers shared by the matcher: language and width folding.

Whether a query is Japanese is the question every part of the project asks the same way
(pipeline.text.language.is_japanese); it is importable from here for the matcher modules.
"""

from __future__ import annotations

import unicodedata

from pipeline.text.language import is_japanese

__all__ = ["is_japanese", "nfkc"]


def nfkc(text: str) -> str:
    """Width-fold (ＳＥ -> SE, ｶﾅ -> カナ) so full- and half-width spellings match."""
    return unicodedata.normalize("NFKC", text)
