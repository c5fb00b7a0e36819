"""Find schema.org JobPosting objects in an HTML page (JSON-LD first, then microdata).

Pages in the wild carry JSON-LD in every state of repair: a single object, a list, an
``@graph``, JobPosting nested under ``mainEntity``, HTML comments or trailing commas inside the
script, control characters in strings. Each broken block is reported as a problem (so a crawl
can count it) and the page's other blocks are still read.
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


def parse_jsonld_block(text: str) -> Any:
    """Parse one <script type="application/ld+json"> body, repairing the common breakages."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        pass
    cleaned = "\n".join(
        line for line in text.splitlines() if not _HTML_COMMENT.match(line) and not _CDATA.match(line)
    )
    cleaned = _CONTROL_CHARS.sub(" ", cleaned)
    cleaned = _TRAILING_COMMA.sub(r"\1", cleaned)
    return json.loads(cleaned, strict=False)


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
