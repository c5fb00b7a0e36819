"""Find schema.org JobPosting objects in an HTML page (JSON-LD first, then microdata).

Pages in the wild carry JSON-LD in every state of repair: a single object, a list, an
``@graph``, JobPosting nested under ``mainEntity``, HTML comments or trailing commas inside the
script, control characters in strings. Each broken block is reported as a problem (so a crawl
can count it) and the page's other blocks are still read. A block nested deeper than
``MAX_JSONLD_DEPTH`` is such a problem too: it is refused before parsing, so that neither the
JSON parser nor the walk below recurses without bound on a hostile page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

JOBPOSTING_TYPES = {"jobposting"}

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$")
_CDATA = re.compile(r"^\s*(//\s*)?<!\[CDATA\[|(//\s*)?\]\]>\s*$")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A string (skipped whole, escapes included) or one bracket: what nesting depth is counted on.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)

# Real JobPosting blocks nest fewer than 10 levels (an @graph of postings with an address in a
# place); far deeper ones are broken or hostile, and Python's parser fails near 1,000.
MAX_JSONLD_DEPTH = 100


class JsonLdTooDeepError(ValueError):
    """A JSON-LD block nests arrays and objects deeper than MAX_JSONLD_DEPTH."""


@dataclass
class Extraction:
    """What one page yielded: the JobPosting objects, the page's canonical URL and the problems."""

    postings: list[dict[str, Any]] = field(default_factory=list)
    canonical_url: str | None = None
    language: str | None = None
    problems: list[str] = field(default_factory=list)
    jsonld_types: list[str] = field(default_factory=list)


def _type_names(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    out = []
    for name in names:
        if isinstance(name, str):
            out.append(name.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return out


def _is_jobposting(obj: dict[str, Any]) -> bool:
    return any(name.lower() in JOBPOSTING_TYPES for name in _type_names(obj))


def _walk(node: Any, found: list[dict[str, Any]], types: list[str]) -> None:
    """Collect JobPostings anywhere in a JSON-LD tree (lists, @graph, mainEntity, itemListElement)."""
    if isinstance(node, list):
        for child in node:
            _walk(child, found, types)
        return
    if not isinstance(node, dict):
        return
    types.extend(_type_names(node))
    if _is_jobposting(node):
        found.append(node)
        return
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item", "hasPart"):
        if key in node:
            _walk(node[key], found, types)


def exceeds_depth(text: str, limit: int = MAX_JSONLD_DEPTH) -> bool:
    """Whether the brackets outside strings nest deeper than ``limit`` (stops at the first level past it)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return False


def _loads(text: str) -> Any:
    if exceeds_depth(text):
        raise JsonLdTooDeepError(f"nested more than {MAX_JSONLD_DEPTH} levels deep")
    return json.loads(text, strict=False)


def parse_jsonld_block(text: str) -> Any:
    """Parse one <script type="application/ld+json"> body, repairing the common breakages.

    Raises json.JSONDecodeError for a block that stays invalid, JsonLdTooDeepError for one that
    nests deeper than MAX_JSONLD_DEPTH."""
    try:
        return _loads(text)
    except json.JSONDecodeError:
        pass
    cleaned = "\n".join(
        line for line in text.splitlines() if not _HTML_COMMENT.match(line) and not _CDATA.match(line)
    )
    cleaned = _CONTROL_CHARS.sub(" ", cleaned)
    cleaned = _TRAILING_COMMA.sub(r"\1", cleaned)
    return _loads(cleaned)


def _microdata_value(element: Selector) -> Any:
    if element.attrib.get("itemscope") is not None:
        return _microdata_item(element)
    for attr in ("content", "href", "src", "datetime", "value"):
        if attr in element.attrib:
            return element.attrib[attr].strip()
    return " ".join(t.strip() for t in element.xpath(".//text()").getall() if t.strip())


def _microdata_item(scope: Selector) -> dict[str, Any]:
    item: dict[str, Any] = {}
    itemtype = scope.attrib.get("itemtype", "")
    if itemtype:
        item["@type"] = itemtype.split()[0].rstrip("/").rsplit("/", 1)[-1]
    # Properties of this scope: itemprop descendants whose nearest itemscope ancestor is this scope.
    for prop in scope.xpath(".//*[@itemprop]"):
        owner = prop.xpath("ancestor::*[@itemscope][1]")
        if not owner or owner[0].root is not scope.root:
            continue
        value = _microdata_value(prop)
        for name in prop.attrib["itemprop"].split():
            if name in item:
                existing = item[name]
                item[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                item[name] = value
    return item


def extract_microdata(selector: Selector) -> list[dict[str, Any]]:
    postings = []
    for scope in selector.xpath("//*[@itemscope][contains(@itemtype, 'JobPosting')]"):
        if scope.xpath("ancestor::*[@itemscope][contains(@itemtype, 'JobPosting')]"):
            continue
        postings.append(_microdata_item(scope))
    return postings


def extract_from_html(html: str, base_url: str | None = None) -> Extraction:
    """Every JobPosting of one page, with the page's canonical URL and language."""
    result = Extraction()
    selector = Selector(text=html or "<html></html>")
    blocks = selector.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]/text()')
    for index, block in enumerate(blocks.getall(), start=1):
        if not block.strip():
            continue
        try:
            data = parse_jsonld_block(block)
        except json.JSONDecodeError as exc:
            result.problems.append(
                f"JSON-LD block {index} is not valid JSON ({exc.msg} at line {exc.lineno})"
            )
            continue
        except JsonLdTooDeepError as exc:
            result.problems.append(f"JSON-LD block {index} is {exc}; skipped")
            continue
        _walk(data, result.postings, result.jsonld_types)
    if not result.postings:
        result.postings.extend(extract_microdata(selector))
    canonical = selector.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href').get()
    if canonical:
        canonical = canonical.strip()
        if base_url and not re.match(r"^https?://", canonical):
            from urllib.parse import urljoin

            canonical = urljoin(base_url, canonical)
        result.canonical_url = canonical if re.match(r"^https?://", canonical) else None
    lang = selector.xpath("/html/@lang").get()
    result.language = lang.strip().split("-")[0].lower() if lang and lang.strip() else None
    return result
