"""Width folding, whitespace squashing and HTML-to-text for listing fields.

Japanese listings mix full-width digits (２５万円), full-width punctuation (～, ：, （）) and
several look-alike wave dashes and hyphens; English listings use en/em dashes and non-breaking
spaces. Every field normalizer folds its input with :func:`fold` first so its patterns only
have to know one spelling of each character. :func:`fold_with_map` does the same while keeping,
for every output character, the index of the input character it came from, so a span found in
folded text can be cut out of the original (evidence for a signal, for example).

:func:`html_to_text` is regex based on purpose: the loader turns every description into text,
and an HTML parser costs about ten times as much per kilobyte as these few substitutions.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["fold", "fold_with_map", "html_to_text", "repair_mojibake", "squash_spaces"]

# Characters NFKC leaves alone but which mean the same thing as an ASCII one in listing text.
# The katakana long vowel mark (ー) is deliberately absent: it is a letter, not a dash.
_EXTRA = str.maketrans(
    {
        "〜": "~",  # U+301C WAVE DASH (NFKC maps the full-width tilde U+FF5E, not this one)
        "～": "~",
        "∼": "~",
        "‐": "-",  # hyphen
        "‑": "-",  # non-breaking hyphen
        "‒": "-",  # figure dash
        "–": "-",  # en dash
        "—": "-",  # em dash
        "―": "-",  # horizontal bar
        "−": "-",  # minus sign
        "﹣": "-",
        "\u3000": " ",
        "\u00a0": " ",
        "\u200b": "",  # zero-width space
        "\ufeff": "",
    }
)

_SPACES = re.compile(r"[ \t\r\f\v]+")
_SPACES_KEEP_TABS = re.compile(r"[ \r\f\v]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


# UTF-8 read as Latin-1 ("mojibake"), as in the RemoteOK payload: "$150,000 \u00e2\u0080\u0093 $175,000".
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf]")
_MOJIBAKE_PIECES = (
    ("\u00e2\u0080\u0093", "-"),
    ("\u00e2\u0080\u0094", "-"),
    ("\u00e2\u0080\u0099", "'"),
    ("\u00e2\u0080\u009c", '"'),
    ("\u00e2\u0080\u009d", '"'),
    ("\u00e2\u0080\u00a2", "・"),
    ("\u00c2\u00a3", "£"),
    ("\u00c2\u00a0", " "),
)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1 ("Â£57,000", "â\x80\x93").

    The whole string is re-decoded when that round-trips cleanly; otherwise (text that mixes
    repaired and broken parts) only the dashes, quotes, bullets and currency signs that matter
    to the parsers are fixed. Text without the tell-tale pairs is returned unchanged, cheaply.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        for broken, fixed in _MOJIBAKE_PIECES:
            text = text.replace(broken, fixed)
        return text


def fold(text: str) -> str:
    """Return ``text`` NFKC-normalized with dashes, tildes and odd spaces made ASCII.

    Full-width digits and Latin letters become ASCII, half-width katakana becomes full-width,
    every wave dash becomes ``~`` and every dash-like character (not ``ー``) becomes ``-``;
    UTF-8 mis-decoded as Latin-1 is repaired first (:func:`repair_mojibake`).
    The result may be shorter than the input (zero-width characters vanish, voiced half-width
    kana combine); use :func:`fold_with_map` when offsets matter.
    """
    if not isinstance(text, str):
        return ""
    if text.isascii():
        return text  # nothing to fold, and the common case for English fields
    return unicodedata.normalize("NFKC", repair_mojibake(text)).translate(_EXTRA)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold like :func:`fold` and return, for each output character, its input index.

    Folding is done one input character at a time (NFKC of a single character), then a
    combining voiced mark produced by half-width kana (ｶﾞ -> カ + U+3099) is composed with the
    character before it, as whole-string NFKC would do. The map has one entry per output
    character; ``original[mapping[i]]`` is where output character ``i`` came from.
    """
    if not isinstance(text, str):
        return "", []
    out: list[str] = []
    mapping: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).translate(_EXTRA)
        for produced in piece:
            if out and unicodedata.combining(produced):
                composed = unicodedata.normalize("NFC", out[-1] + produced)
                if len(composed) == 1:
                    out[-1] = composed
                    continue
            out.append(produced)
            mapping.append(index)
    return "".join(out), mapping


def squash_spaces(text: str, keep_tabs: bool = False) -> str:
    """Collapse runs of spaces/tabs to one space and runs of blank lines to one line break.

    Line breaks are kept because they separate fields in Japanese listings (給与 / 勤務時間 ...);
    leading and trailing whitespace of every line and of the whole text is removed. With
    ``keep_tabs`` tabs survive (html_to_text separates table cells with them).
    """
    if not isinstance(text, str):
        return ""
    spaces = _SPACES_KEEP_TABS if keep_tabs else _SPACES
    text = spaces.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.strip(" \t") if keep_tabs else line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip()


_DROP_BLOCKS = re.compile(
    r"<(script|style|noscript|template|head)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>",
    re.IGNORECASE | re.DOTALL,
)
_BR = re.compile(r"<br\s*/?\s*>|</br\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|tr|table|thead|tbody|tfoot|section|article|header|footer|"
    r"blockquote|pre|hr|address|figure|figcaption|form|fieldset|legend|details|summary|main|nav|aside)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_CELL = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_HTML_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_LONE_BULLET = re.compile(r"^・\n+", re.MULTILINE)
_LINE_BREAK_MARK = "\x00"
_TAB_MARK = "\x01"


def html_to_text(html_text: str) -> str:
    """Turn description HTML into readable text, one paragraph / list item / heading per line.

    ``<br>`` gives a line break, block elements (``<p>``, ``<div>``, headings, list and table
    rows) start a new line, list items get a ``・`` bullet, table cells are separated by a tab,
    scripts, styles and comments are dropped, and entities (``&amp;``, ``&nbsp;``, ``&#x2F;``)
    are unescaped after the tags are gone so an escaped ``&lt;b&gt;`` stays visible text.
    Whitespace inside the source (indentation, wrapped lines) is collapsed as a browser would,
    except inside the breaks the tags produced. Non-string input returns ``""``.
    """
    if not isinstance(html_text, str) or not html_text:
        return ""
    if "<" not in html_text and "&" not in html_text:
        return squash_spaces(html_text)
    text = _DROP_BLOCKS.sub(" ", html_text)
    text = _LIST_ITEM.sub(_LINE_BREAK_MARK + "・", text)
    text = _BR.sub(_LINE_BREAK_MARK, text)
    text = _CELL.sub(_TAB_MARK, text)
    text = _BLOCK.sub(_LINE_BREAK_MARK, text)
    text = _TAG.sub("", text)
    # Source newlines are layout, not content: collapse them like a browser does.
    text = _HTML_SPACE.sub(" ", text)
    text = html.unescape(text).replace(_LINE_BREAK_MARK, "\n").replace(_TAB_MARK, "\t")
    # <li><p>item</p></li> puts the bullet on a line of its own; join it to its item.
    return _LONE_BULLET.sub("・", squash_spaces(text.replace("\u00a0", " "), keep_tabs=True)).strip()
