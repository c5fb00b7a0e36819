"""Count missing essential fields per item (crawl stats), without dropping anything.

A JobPosting without a title is still written raw: the loader quarantines it with its
reason, so nothing disappears silently.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

ESSENTIAL_FIELDS = ("title", "hiringOrganization", "jobLocation", "datePosted", "description")


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        kind = item.get("kind", "unknown")
        self.stats.inc_value(f"ippo/items/{kind}")
        if kind == "jobposting":
            payload = item.get("payload") or {}
            for name in ESSENTIAL_FIELDS:
                if not payload.get(name):
                    self.stats.inc_value(f"ippo/field/{name}/missing")
        return item
