"""Whitespace squashing, HTML-to-text and fast literal-start search for listing fields.

Every field normalizer folds its input with :func:`fold` first (pipeline/text/fold.py, kept
importable from here for the field parsers) so its patterns only have to know one spelling of
each character.

:func:`html_to_text` is regex based on purpose: the loader turns every description into text,
and an HTML parser costs about ten times as much per kilobyte as these few substitutions.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import ahocorasick

from pipeline.text.fold import fold

__all__ = [
    "FIELD_LITERALS",
    "LiteralIndex",
    "finditer_at",
    "fold",
    "html_to_text",
    "literal_starts",
    "positions_line_up",
    "search_at",
    "search_at_starts",
    "squash_spaces",
    "unescape_markup",
]


def squash_spaces(text: str, keep_tabs: bool = False) -> str:
    """Collapse runs of whitespace to one space and runs of blank lines to one line break.

    Line breaks are kept because they separate fields in Japanese listings (給与 / 勤務時間 ...);
    every other whitespace run (spaces, tabs, the ideographic space U+3000, no-break spaces)
    becomes one ASCII space, and each line and the whole text are stripped. With ``keep_tabs``
    tabs survive as single tabs (html_to_text separates table cells with them). Built on
    ``str.split`` rather than a regex: it is several times faster on long descriptions.
    """
    if not isinstance(text, str):
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not keep_tabs:
        return "\n".join(filter(None, [" ".join(line.split()) for line in lines]))
    out: list[str] = []
    for line in lines:
        if keep_tabs and "\t" in line:
            cells = (" ".join(cell.split()) for cell in line.split("\t"))
            squashed = "\t".join(cell for cell in cells if cell)
        else:
            squashed = " ".join(line.split())
        if squashed:
            out.append(squashed)
    return "\n".join(out)


_DROP_BLOCKS = re.compile(
    r"<(script|style|noscript|template|head)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>",
    re.IGNORECASE | re.DOTALL,
)
# One pass over every tag; what a tag becomes is looked up by its "/" and name. The pattern
# splits the text (texts and tags alternate) and the tags are looked up with map() over a dict:
# a substitution callback would cost a Python call and a match object per tag, and four
# substitutions with constant replacements measured slower still on generated descriptions.
_ANY_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9]*)[^>]*>|<[^>]*>")
_BLOCK_TAGS = frozenset(
    {
        *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "tr", "table"),
        *("thead", "tbody", "tfoot", "section", "article", "header", "footer", "blockquote", "pre", "hr"),
        *("address", "figure", "figcaption", "form", "fieldset", "legend", "details", "summary", "main"),
        *("nav", "aside"),
    }
)
_LINE_BREAK_MARK = "\x00"
_TAB_MARK = "\x01"
# What each tag gives, by "/" (closing) and lower-case name; tags not here give nothing.
_TAG_TEXT: dict[str, str] = {
    **{slash + name: _LINE_BREAK_MARK for name in (*_BLOCK_TAGS, "br") for slash in ("", "/")},
    "li": _LINE_BREAK_MARK + "・",
    "/td": _TAB_MARK,
    "/th": _TAB_MARK,
}


class _TagTexts(dict[str | None, str]):
    """_TAG_TEXT for tags as written ("/P", "strong"; None for a tag without a name),
    remembering each spelling seen (up to a bound: names come from untrusted pages)."""

    def __missing__(self, key: str | None) -> str:
        value = "" if key is None else _TAG_TEXT.get(key.lower(), "")
        if len(self) < 4096:
            self[key] = value
        return value


_TAG_TEXTS = _TagTexts()


def _replace_tags(text: str) -> str:
    """``_ANY_TAG.sub`` with each tag replaced by its _TAG_TEXT (or nothing)."""
    parts = _ANY_TAG.split(text)
    if len(parts) > 1:
        parts[1::2] = map(_TAG_TEXTS.__getitem__, parts[1::2])
    return "".join(parts)


# Markup escaped once more, as the Greenhouse API sends job content ("&lt;p&gt;"). The "&amp;"
# replacement comes last so that "&amp;lt;" becomes "&lt;", as html.unescape makes it.
_ESCAPED_MARKUP = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&"))


def unescape_markup(text: str) -> str:
    """html.unescape, fast when every "&" starts one of &lt; &gt; &quot; &#39; &amp;.

    Then each entity is matched whole and alone by html.unescape, so plain replacements give
    its exact result (~10x faster on an 8 KB Greenhouse description, where unescape calls a
    Python function per entity). Any other "&" (&nbsp;, &#8217;, "&amp" without ";") goes to
    html.unescape itself.
    """
    ampersands = text.count("&")
    if ampersands == 0:
        return text
    if ampersands != sum(text.count(entity) for entity, _ in _ESCAPED_MARKUP):
        return html.unescape(text)
    for entity, char in _ESCAPED_MARKUP:
        text = text.replace(entity, char)
    return text


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
    text = html_text
    if "<!" in text or "<s" in text or "<S" in text:  # "S" is the only other letter lowering to "s"
        text = _DROP_BLOCKS.sub(" ", text)
    if "<" in text:
        text = _replace_tags(text)
    # Source newlines are layout, not content: collapse them like a browser does.
    text = " ".join(text.split())
    if "&" in text:
        text = html.unescape(text)
        if "\n" in text or "\r" in text or "\t" in text:
            return _lines_from_marks_slow(text)
        text = " ".join(text.split())  # an entity may have written a no-break or other space
    return _lines_from_marks(text)


def _lines_from_marks(text: str) -> str:
    """The text lines from text whose only whitespace is single spaces between words.

    What ``squash_spaces(keep_tabs=True)`` gives once the marks become line breaks and tabs:
    a line or cell is what lies between marks, without the spaces next to them, and empty
    lines and cells are dropped. A bullet alone on its line joins the item below it.
    """
    for mark in (_LINE_BREAK_MARK, _TAB_MARK):
        if mark in text:
            text = text.replace(" " + mark, mark).replace(mark + " ", mark)
    lines = text.split(_LINE_BREAK_MARK)
    if _TAB_MARK in text:
        lines = [_cells(line) if _TAB_MARK in line else line for line in lines]
    text = "\n" + "\n".join(filter(None, lines))
    return text.replace("\n・\n", "\n・")[1:]


def _cells(line: str) -> str:
    return "\t".join(filter(None, line.split(_TAB_MARK)))


def _lines_from_marks_slow(text: str) -> str:
    """The general path, for text an entity put a line break or tab into."""
    text = text.replace(_LINE_BREAK_MARK, "\n").replace(_TAB_MARK, "\t")
    # <li><p>item</p></li> puts the bullet on a line of its own; join it to its item.
    text = "\n" + squash_spaces(text, keep_tabs=True)
    return text.replace("\n・\n", "\n・")[1:]


# --- searching long texts fast ------------------------------------------------------------------
#
# Python's regex engine scans a text quickly only for a pattern that starts with a literal or a
# set of literal first characters; a case-insensitive pattern, or one that starts with a group,
# a word boundary or an optional part, is tried at every character: ~0.5-2.5 ms per pattern on
# a 5 KB description. A case-sensitive alternation of the literal words every match must start
# with finds the few places worth trying, in C; the pattern itself is then tried only there.


def literal_starts(words: list[str] | tuple[str, ...], digits: bool = False) -> re.Pattern[str]:
    """An alternation of lower-case literal words (and of the ten digits, when asked)."""
    alternatives = [re.escape(word) for word in sorted(set(words), key=len, reverse=True)]
    if digits:
        alternatives.extend("0123456789")
    return re.compile("|".join(alternatives))


def search_at_starts(pattern: re.Pattern[str], starts: re.Pattern[str], text: str,
                     lower: str | None = None) -> re.Match[str] | None:
    """``pattern.search(text)``, trying the pattern only where ``starts`` matches ``text.lower()``.

    The same leftmost match, provided every match of ``pattern`` begins with a match of
    ``starts`` (as lower-case text): the caller's promise. ``lower`` saves lower-casing again;
    when lower-casing changes the length (a few letters such as "İ"), offsets would not line
    up and the whole text is searched.
    """
    if lower is None:
        lower = text.lower()
    if len(lower) != len(text):
        return pattern.search(text)
    pos = 0
    search = starts.search
    match_at = pattern.match
    while True:
        start = search(lower, pos)
        if start is None:
            return None
        at = start.start()
        found = match_at(text, at)
        if found is not None:
            return found
        pos = at + 1


# --- one literal pass for many readers -----------------------------------------------------------
#
# One Aho-Corasick pass for many readers (pyahocorasick, as the signal tagger finds its
# triggers): each reader registers the groups of literal words its patterns start with (or
# need), and the positions of every group in a text come from one walk over it. A regex
# alternation of many words is slow when they start with common letters; a scan per word list
# reads the same text again for every reader.


# One occurrence of a word: (start, end, the numbers of the groups it belongs to).
_Hit = tuple[int, int, tuple[int, ...]]


class LiteralIndex:
    """Named groups of literal words, found together in one pass over a text.

    :meth:`add` registers a group and returns its number; :meth:`positions` gives, per group,
    the sorted start positions of its words in the text (every occurrence, overlapping ones
    too). The words are matched exactly as written: readers register lower-case words and pass
    lower-cased text. The occurrences in the last few texts are kept, so the readers of one
    description share a pass; a text that holds a kept one (a listing's title, description and
    extra text, which the description's readers saw alone) or lies inside one is read only where
    the kept pass does not cover it.
    """

    _KEEP = 4

    def __init__(self) -> None:
        self._groups: list[tuple[str, ...]] = []
        self._automaton: Any = None
        self._longest = 0
        # text -> (occurrences as (start, end, group numbers), positions per group)
        self._recent: dict[str, tuple[list[_Hit], tuple[list[int], ...]]] = {}

    def add(self, words: Iterable[str]) -> int:
        """Register a group of words; its number indexes what :meth:`positions` returns."""
        group = tuple(words)
        if not group or not all(isinstance(word, str) and word for word in group):
            raise ValueError(f"LiteralIndex.add: a group needs non-empty words, got {group!r}")
        self._groups.append(group)
        self._automaton = None
        self._recent.clear()
        return len(self._groups) - 1

    def _build(self) -> Any:
        owners: dict[str, list[int]] = {}
        for number, group in enumerate(self._groups):
            for word in group:
                numbers = owners.setdefault(word, [])
                if number not in numbers:
                    numbers.append(number)
        automaton = ahocorasick.Automaton()
        for word, numbers in owners.items():
            automaton.add_word(word, (len(word), tuple(numbers)))
        automaton.make_automaton()
        self._automaton = automaton
        self._longest = max(map(len, owners))
        return automaton

    def positions(self, text: str) -> tuple[list[int], ...]:
        """Per group, the sorted positions in ``text`` where one of its words starts (each once)."""
        kept = self._recent.get(text)
        if kept is not None:
            return kept[1]
        automaton = self._automaton or self._build()
        hits = self._hits_from_kept(text, automaton)
        if hits is None:
            hits = self._scan(text, 0, len(text), automaton)
        found: tuple[list[int], ...] = tuple([] for _ in self._groups)
        for begin, _, numbers in hits:
            for number in numbers:
                found[number].append(begin)
        lists = tuple(sorted(set(positions)) if len(positions) > 1 else positions for positions in found)
        if len(self._recent) >= self._KEEP:
            del self._recent[next(iter(self._recent))]
        self._recent[text] = (hits, lists)
        return lists

    @staticmethod
    def _scan(text: str, start: int, end: int, automaton: Any) -> list[_Hit]:
        """The occurrences of the words inside text[start:end] (offsets in ``text``)."""
        if start >= end:
            return []
        return [(last + 1 - length, last + 1, numbers) for last, (length, numbers) in automaton.iter(text, start, end)]

    def _hits_from_kept(self, text: str, automaton: Any) -> list[_Hit] | None:
        """The occurrences in ``text`` from a kept text that holds it or that it holds (then the
        parts before and after the kept text are scanned, with the words that cross into it);
        None when no kept text is related."""
        longest = self._longest
        for other, (hits, _) in reversed(self._recent.items()):
            if len(other) >= len(text):
                at = other.find(text) if text else -1
                if at >= 0:
                    stop = at + len(text)
                    return [(b - at, e - at, numbers) for b, e, numbers in hits if b >= at and e <= stop]
            elif len(other) >= longest:
                at = text.find(other)
                if at >= 0:
                    stop = at + len(other)
                    head = [hit for hit in self._scan(text, 0, min(len(text), at + longest - 1), automaton)
                            if hit[0] < at]
                    tail = [hit for hit in self._scan(text, max(at, stop - longest + 1), len(text), automaton)
                            if hit[1] > stop]
                    return head + [(b + at, e + at, numbers) for b, e, numbers in hits] + tail
        return None


# The groups of the listing-fact readers (pipeline/fields: seniority, suspicious, remote regions,
# remote): their words are found in one pass over a lower-cased description.
FIELD_LITERALS = LiteralIndex()


def positions_line_up(text: str, lower: str) -> bool:
    """Whether a case-insensitive pattern can match ``text`` only where its lower-case start
    words occur in ``lower`` (= ``text.lower()``): the lengths agree, and ``text`` holds no
    dotless ı, which a case-insensitive "i" matches though it lower-cases to itself (İ changes
    the length; ſ, which matches "s", is folded to "s" before any reader sees it, and is
    checked here all the same)."""
    return len(lower) == len(text) and "ı" not in text and "ſ" not in text


def finditer_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only at the sorted ``starts``.

    The same matches, provided every match of ``pattern`` begins at one of ``starts`` and no
    match is empty: the caller's promise. The pattern sees the whole text (look-behinds and
    ``\\b`` read the characters before a start).
    """
    cursor = 0
    match_at = pattern.match
    for at in starts:
        if at < cursor:
            continue
        found = match_at(text, at)
        if found is not None:
            yield found
            cursor = found.end()


def search_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> re.Match[str] | None:
    """``pattern.search(text)`` on the same promise as :func:`finditer_at`."""
    match_at = pattern.match
    for at in starts:
        found = match_at(text, at)
        if found is not None:
            return found
    return None
