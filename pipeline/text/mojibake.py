"""Repair UTF-8 text that was decoded as Latin-1 ("mojibake").

Feeds such as the Remote OK API serve some fields twice-decoded: "$150,000 \u00e2\u0080\u0093 $175,000"
for an en dash, "Â£57,000" for a pound sign, "GdaÅ\u0084sk" for Gdańsk. Every such text holds a
UTF-8 lead byte read as a Latin-1 letter (U+00C2 to U+00F4) directly followed by a continuation
byte read as U+0080 to U+00BF: that pair is the tell-tale this module looks for.

:func:`repair_mojibake_with_offsets` also returns a map from the repaired text back to the
input (pipeline/text/offsets.py), so a caller that folds text for matching can cut what it
found out of the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text.offsets import Change, PiecewiseMap, RedecodedMap

__all__ = ["has_mojibake", "repair_mojibake", "repair_mojibake_with_offsets"]

_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")
# The same pair as UTF-8 bytes: the lead letter encodes as C3 82..C3 B4 and the continuation
# as C2 80..C2 BF. A text without both a C2 and a C3 byte cannot hold the pair; two byte
# searches on the encoded text are several times cheaper than the regex scan of the text.
_LEAD_BYTE = b"\xc3"
# Up to this length the regex scan itself is the cheaper test.
_SHORT = 64
_CONTINUATION_BYTE = b"\xc2"

# What mixed text (repaired and broken parts together, which cannot be re-decoded whole)
# gets fixed piece by piece: the dashes, quotes, bullets and currency signs the parsers read.
_PIECES = (
    ("\u00e2\u0080\u0093", "-"),
    ("\u00e2\u0080\u0094", "-"),
    ("\u00e2\u0080\u0099", "'"),
    ("\u00e2\u0080\u009c", '"'),
    ("\u00e2\u0080\u009d", '"'),
    ("\u00e2\u0080\u00a2", "・"),
    ("\u00c2\u00a3", "£"),
    ("\u00c2\u00a0", " "),
)
_PIECE = re.compile("|".join(re.escape(broken) for broken, _ in _PIECES))
_PIECE_FIXED = dict(_PIECES)


def has_mojibake(text: str) -> bool:
    """True when text holds a Latin-1 lead letter directly followed by a continuation character."""
    if text.isascii():
        return False
    if len(text) <= _SHORT:
        return _PAIR.search(text) is not None
    return _has_pair_long(text)


# A long text is asked about more than once in a row (the tagger, then the fold it calls):
# the last few answers are kept.
@lru_cache(maxsize=8)
def _has_pair_long(text: str) -> bool:
    encoded = text.encode("utf-8", "surrogatepass")
    if _LEAD_BYTE not in encoded or _CONTINUATION_BYTE not in encoded:
        return False
    return _PAIR.search(text) is not None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1 ("Â£57,000" -> "£57,000", "GdaÅ\u0084sk" -> "Gdańsk").

    The whole string is re-decoded when that round-trips cleanly; otherwise (text that mixes
    repaired and broken parts) only the dashes, quotes, bullets and currency signs that matter
    to the parsers are fixed. Text without the tell-tale pair is returned unchanged, cheaply.
    """
    if not has_mojibake(text):
        return text
    redecoded = _redecode(text)
    if redecoded is not None:
        return redecoded
    return _PIECE.sub(_fixed_piece, text)


def repair_mojibake_with_offsets(text: str) -> tuple[str, RedecodedMap | PiecewiseMap | None]:
    """:func:`repair_mojibake` and, when it changed anything, the map from each output
    character back to the input (None when the text came back unchanged)."""
    if not has_mojibake(text):
        return text, None
    redecoded = _redecode(text)
    if redecoded is not None:
        return redecoded, RedecodedMap(redecoded)
    parts: list[str] = []
    changes: list[Change] = []
    last = written = 0
    for match in _PIECE.finditer(text):
        parts.append(text[last : match.start()])
        written += match.start() - last
        changes.append(Change(match.start(), match.end(), written, (0,)))
        parts.append(_PIECE_FIXED[match.group()])
        written += 1
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), PiecewiseMap(changes)


def _redecode(text: str) -> str | None:
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _fixed_piece(match: re.Match[str]) -> str:
    return _PIECE_FIXED[match.group()]
