"""`remoteok`: remote jobs from the Remote OK JSON API.

    [sources.remoteok]
    spider = "remoteok"

The API's terms ask every user to name Remote OK and link back to the job's page on it; each
item therefore carries ``attribution`` (the name and the job's remoteok.com URL), and the
listing's url is that page. The first array element is the legal notice, not a job, and the
feed contains blank placeholder entries (no company, no position): both are skipped and counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.spiders.base import ApiSpider

ATTRIBUTION_NAME = "Remote OK"


def job_page(job: dict[str, Any]) -> str:
    """The job's page on Remote OK (the backlink the API terms require)."""
    url = job.get("url")
    if isinstance(url, str) and url.startswith("http"):
        return url
    return f"https://remoteok.com/remote-jobs/{job.get('slug') or job.get('id')}"


class RemoteOkSpider(ApiSpider):
    name = "remoteok"
    kind = "remoteok_job"
    default_base_url = "https://remoteok.com/api"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.base_url, callback=self.parse, errback=self.on_error)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        data, problem = self.read_json(response)
        if problem:
            yield self.problem(response, problem)
            return
        if not isinstance(data, list):
            yield self.problem(response, "the Remote OK API did not return a JSON array")
            return
        stats = self.crawler.stats
        assert stats is not None
        for job in data:
            if not isinstance(job, dict):
                continue
            if "legal" in job and "position" not in job:
                stats.inc_value("ippo/remoteok/legal_notice_skipped")
                continue
            if not str(job.get("position") or "").strip() or not str(job.get("company") or "").strip():
                stats.inc_value("ippo/remoteok/blank_skipped")
                continue
            self.state_file.mark(str(job.get("id")), str(job.get("epoch") or job.get("date") or ""))
            yield self.item(response, job, attribution={"name": ATTRIBUTION_NAME, "url": job_page(job)})
