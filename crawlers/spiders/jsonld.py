"""`jsonld`: any site that publishes schema.org JobPosting (JSON-LD or microdata).

Configured, not coded: a site is one entry in sources.toml (sitemap URLs and a URL rule, or
start URLs). Try a site ad hoc with ``ippo crawl --url SITEMAP_OR_PAGE_URL`` or
``scrapy crawl jsonld -a source=NAME -a urls=URL[,URL...] [-a url_pattern=REGEX]``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spiders import SitemapSpider

from crawlers.encoding import decode_best, replacement_share
from crawlers.items import RawItem
from crawlers.structured import extract_from_html

_SITEMAP_URL = re.compile(r"(sitemap[^/]*\.xml(\.gz)?$)|(/robots\.txt$)|(\.xml(\.gz)?$)", re.IGNORECASE)


def _split(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v.strip() for v in value if v.strip()]
    return [v.strip() for v in value.split(",") if v.strip()]


class JsonLdSpider(SitemapSpider):
    name = "jsonld"

    def __init__(
        self,
        source: str | None = None,
        urls: str | list[str] | None = None,
        url_pattern: str | None = None,
        follow_pattern: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        all_urls = _split(urls)
        if not all_urls:
            raise ValueError("the jsonld spider needs -a urls=SITEMAP_OR_PAGE_URL[,...]")
        self.source = source or re.sub(r"[^a-z0-9]+", "-", all_urls[0].split("//")[-1].split("/")[0].lower())
        self.sitemap_urls = [u for u in all_urls if _SITEMAP_URL.search(u)]
        self.page_urls = [u for u in all_urls if u not in self.sitemap_urls]
        self.sitemap_rules = [(url_pattern or "", "parse_page")]
        if follow_pattern:
            self.sitemap_follow = [follow_pattern]
        self._cbs = [(re.compile(url_pattern or ""), self.parse_page)]

    async def start(self) -> AsyncIterator[Any]:
        for request in self._initial_requests():
            yield request

    def _initial_requests(self) -> Iterator[scrapy.Request]:
        for url in self.sitemap_urls:
            yield scrapy.Request(url, callback=self._parse_sitemap)
        for url in self.page_urls:
            yield scrapy.Request(url, callback=self.parse_page, errback=self.on_error)

    def on_error(self, failure: Any) -> Iterator[RawItem]:
        """A page that failed for good (after retries) is a problem item, not a silent gap."""
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        url = request.url if request is not None else ""
        self.crawler.stats.inc_value("ippo/pages/failed")
        yield RawItem(
            kind="problem",
            source=self.source,
            url=url,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            problem=f"could not fetch {url}: {reason or type(failure.value).__name__}",
        )

    def parse_page(self, response: Response) -> Iterator[RawItem]:
        stats = self.crawler.stats
        stats.inc_value("ippo/pages")
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            stats.inc_value("ippo/pages/not_text")
            yield RawItem(
                kind="problem",
                source=self.source,
                url=response.url,
                fetched_at=fetched_at,
                problem=f"not a text page (Content-Type {content_type})",
            )
            return
        text = response.text
        if replacement_share(text) > 0.001:
            # The declared charset is wrong (e.g. a Shift_JIS page served as UTF-8): decode it right.
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            decoded = decode_best(response.body, content_type)
            if decoded.text is not text and replacement_share(decoded.text) < replacement_share(text):
                stats.inc_value("ippo/pages/charset_repaired")
                self.logger.info("%s: %s", response.url, "; ".join(decoded.warnings))
                text = decoded.text
        extraction = extract_from_html(text, base_url=response.url)
        for problem in extraction.problems:
            stats.inc_value("ippo/pages/jsonld_invalid")
            yield RawItem(
                kind="problem", source=self.source, url=response.url, fetched_at=fetched_at, problem=problem
            )
        if not extraction.postings:
            stats.inc_value("ippo/pages/without_jobposting")
            return
        stats.inc_value("ippo/pages/with_jobposting")
        for posting in extraction.postings:
            yield RawItem(
                kind="jobposting",
                source=self.source,
                url=response.url,
                canonical_url=extraction.canonical_url,
                page_language=extraction.language,
                fetched_at=fetched_at,
                payload=posting,
            )
