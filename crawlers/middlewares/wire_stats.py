"""Count what really crossed the network, apart from what the HTTP cache answered.

Scrapy's ``downloader/response_bytes`` is measured after the cache has swapped a 304 for the
stored page, so an unchanged site looks as expensive as the first crawl. Sitting closer to the
network than HttpCacheMiddleware, this middleware sees the 304 itself and counts its real size.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response


def _header_bytes(response: Response) -> int:
    size = len(b"HTTP/1.1 000 \r\n\r\n")
    for name, values in response.headers.items():
        for value in values:
            size += len(name) + len(value) + 4
    return size


class WireStatsMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WireStatsMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if "cached" in response.flags:
            self.stats.inc_value("ippo/wire/served_from_cache")
            return response
        self.stats.inc_value("ippo/wire/responses")
        self.stats.inc_value("ippo/wire/bytes", len(response.body) + _header_bytes(response))
        if response.status == 304:
            self.stats.inc_value("ippo/wire/not_modified")
        return response
