"""Decode saved or fetched page bytes into text, honestly.

Japanese pages often declare Shift_JIS but contain NEC/IBM extension characters that only
cp932 decodes; w3lib already maps Shift_JIS to cp932. What w3lib does silently, this module
reports: a charset name nobody knows, or a page that decodes only with replacement characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from w3lib.encoding import html_body_declared_encoding, html_to_unicode, resolve_encoding

# Above this share of U+FFFD the text is probably in another encoding than the one used.
_REPLACEMENT_SHARE_WARNING = 0.001


@dataclass
class DecodedPage:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _declared_in_body(body: bytes) -> str | None:
    """The charset the page names for itself, known or not (w3lib hides unknown names)."""
    match = _META_CHARSET.search(body[:8192])
    if match:
        return match.group(1).decode("ascii", "replace")
    try:
        return html_body_declared_encoding(body)
    except Exception:  # a malformed meta tag must not stop decoding
        return None


def decode_page(body: bytes, content_type: str | None = None) -> DecodedPage:
    warnings: list[str] = []
    declared = _declared_in_body(body)
    if declared and resolve_encoding(declared) is None:
        warnings.append(f"declares an unknown charset {declared!r}; decoded by detection instead")
    header = (
        f"charset={content_type.split('charset=')[-1]}"
        if content_type and "charset=" in content_type
        else None
    )
    encoding, text = html_to_unicode(header, body)
    replaced = text.count("\ufffd")
    if text and replaced / len(text) > _REPLACEMENT_SHARE_WARNING:
        warnings.append(
            f"{replaced} characters could not be decoded as {encoding}; the page may use another charset"
        )
    return DecodedPage(text=text, encoding=encoding, warnings=warnings)


# Tried, in order, when the declared charset leaves replacement characters behind.
_FALLBACK_ENCODINGS = ("utf-8", "cp932", "euc_jp", "iso2022_jp", "cp1252")


def replacement_share(text: str) -> float:
    return text.count("\ufffd") / len(text) if text else 0.0


def decode_best(body: bytes, content_type: str | None = None) -> DecodedPage:
    """Decode as declared; if that leaves U+FFFD behind (a server sending Shift_JIS pages as
    "charset=utf-8"), try the page's own meta charset and the usual Japanese and Western
    encodings, and keep the decoding that loses the fewest characters."""
    page = decode_page(body, content_type)
    if replacement_share(page.text) <= _REPLACEMENT_SHARE_WARNING:
        return page
    candidates: list[str] = []
    declared = _declared_in_body(body)
    if declared and resolve_encoding(declared):
        candidates.append(resolve_encoding(declared) or declared)
    candidates += [e for e in _FALLBACK_ENCODINGS if e not in candidates]
    best = page
    best_lost = page.text.count("\ufffd")
    for encoding in candidates:
        try:
            text = body.decode(encoding, errors="replace")
        except LookupError:
            continue
        lost = text.count("\ufffd")
        if lost < best_lost:
            best, best_lost = DecodedPage(text=text, encoding=encoding, warnings=[]), lost
    if best is not page:
        best.warnings.append(
            f"declared as {page.encoding} but decodes as {best.encoding} "
            f"({page.text.count(chr(0xFFFD))} characters lost the declared way)"
        )
    return best
