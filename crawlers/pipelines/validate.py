"""Count missing essential fields per item (crawl stats), without dropping anything.

A JobPosting without a title is still written raw: the loader quarantines it with its
reason, so nothing disappears silently.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

ESSENTIAL_FIELDS = ("title", "hiringOrganization", "jobLocation", "datePosted", "description")
# The same check for the API kinds, with each API's own names (dotted paths into the payload).
ESSENTIAL_BY_KIND: dict[str, tuple[str, ...]] = {
    "jobposting": ESSENTIAL_FIELDS,
    "greenhouse_job": ("id", "title", "absolute_url", "location.name", "updated_at"),
    "lever_posting": ("id", "text", "hostedUrl", "categories.location", "descriptionPlain"),
    "ashby_job": ("id", "title", "jobUrl", "location", "descriptionHtml"),
    "usajobs_job": (
        "MatchedObjectId",
        "MatchedObjectDescriptor.PositionTitle",
        "MatchedObjectDescriptor.PositionURI",
        "MatchedObjectDescriptor.OrganizationName",
    ),
    "remoteok_job": ("id", "position", "company", "url", "description"),
    "registry_record": ("employer_name", "tag"),
}


def _get(payload: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(payload, dict):
            return None
        payload = payload.get(key)
    return payload


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        kind = item.get("kind", "unknown")
        self.stats.inc_value(f"ippo/items/{kind}")
        payload = item.get("payload") or {}
        for name in ESSENTIAL_BY_KIND.get(kind, ()):
            if not _get(payload, name):
                self.stats.inc_value(f"ippo/field/{name}/missing")
        return item
