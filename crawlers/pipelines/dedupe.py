"""Drop exact repeats within one run (the same posting reached by two URLs or sitemaps)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem


class InRunDedupePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InRunDedupePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        if item.get("kind") == "problem":
            return item
        payload = json.dumps(item.get("payload"), sort_keys=True, ensure_ascii=False, default=str)
        key = hashlib.sha1(f"{item.get('canonical_url') or item.get('url')}\n{payload}".encode()).hexdigest()
        if key in self.seen:
            self.stats.inc_value("ippo/items/duplicate_in_run")
            raise DropItem(f"duplicate of an item already written in this run: {item.get('url')}")
        self.seen.add(key)
        return item
