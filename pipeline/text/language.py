"""Which language a text is written in (Japanese or English), from the text itself.

Kana and kanji decide, but a few do not: an English posting may name its Tokyo office in
kanji, and text converted from HTML may carry "・" bullets (a katakana code point) or "ー"
rules. The long-vowel mark counts where it lengthens a kana (テスター), not on its own.
Listings (:func:`detect_language`), occupation queries and structured postings
(:func:`is_japanese`) all ask this one question.
"""

from __future__ import annotations

import re

# Hiragana, katakana without the middle dot (U+30FB) and the long-vowel mark (U+30FC), CJK ideographs.
_JA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\u3400-\u4dbf\uff66-\uff9d]")
# A kana lengthened by the long-vowel mark: the mark counts as the Japanese letter it is. Only
# counted when the other Japanese characters fall short (the common cases are decided without).
_LENGTHENED_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]\u30fc")
# Every byte but the ASCII letters. In UTF-8 a byte below 0x80 is always the ASCII character
# itself, so deleting these bytes from the encoded text leaves exactly its Latin letters:
# counted in C, without the one-string-per-letter list a regex findall would build.
_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
# Share of Japanese characters among Japanese + Latin letters above which a text is Japanese.
JA_SHARE = 0.15


def detect_language(text: str | None, sample: int = 20000) -> str | None:
    """"ja" when Japanese characters are at least two and JA_SHARE of the Japanese and Latin
    letters of the first ``sample`` characters, "en" for other text with letters, None for
    text without any (empty, digits, punctuation)."""
    if not text or not text.strip():
        return None
    head = text[:sample]
    if head.isascii():
        ja = 0
        latin = len(head.encode("ascii").translate(None, _NOT_LATIN))
    else:
        ja = len(_JA.findall(head))
        latin = len(head.encode("utf-8", "surrogatepass").translate(None, _NOT_LATIN))
        if ja and not _mostly_japanese(ja, latin) and "\u30fc" in head:
            ja += len(_LENGTHENED_KANA.findall(head))
    if ja == 0 and latin == 0:
        return None
    return "ja" if _mostly_japanese(ja, latin) else "en"


def _mostly_japanese(ja: int, latin: int) -> bool:
    return ja >= 2 and ja / (ja + latin) >= JA_SHARE


def is_japanese(text: str | None) -> bool:
    """True when the text is written in Japanese (:func:`detect_language` says "ja")."""
    return detect_language(text) == "ja"
