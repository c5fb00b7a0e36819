"""Small text helpers shared by the matcher: language guess and normalization."""

from __future__ import annotations

import unicodedata


def is_japanese(text: str) -> bool:
    """True when the text is written in Japanese (any kana, or mostly CJK ideographs).

    Kana never occur in Chinese or English, so one kana settles it; a title made only of
    kanji (薬剤師, 看護師) is Japanese when ideographs dominate its letters.
    """
    kana = cjk = letters = 0
    for char in text[:4000]:
        if "\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f":
            kana += 1
        elif "\u4e00" <= char <= "\u9fff":
            cjk += 1
        if char.isalpha():
            letters += 1
    if kana:
        return True
    return letters > 0 and cjk / letters >= 0.3


def nfkc(text: str) -> str:
    """Width-fold (ＳＥ -> SE, ｶﾅ -> カナ) so full- and half-width spellings match."""
    return unicodedata.normalize("NFKC", text)
