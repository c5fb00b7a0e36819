"""`ashby`: one Ashby job board through its public posting API.

    [sources.ashby-openevidence]
    spider = "ashby"
    board = "openevidence"   # the board name of jobs.ashbyhq.com/<board>

``/posting-api/job-board/<board>?includeCompensation=true`` returns every listed job with its
description and compensation in one response. Jobs marked ``isListed: false`` are not public
postings and are skipped (counted in the stats).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.spiders.base import BoardSpider


class AshbySpider(BoardSpider):
    name = "ashby"
    kind = "ashby_job"
    default_base_url = "https://api.ashbyhq.com/posting-api/job-board"
    board_label = "board name"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            f"{self.base_url}/{self.board}?includeCompensation=true",
            callback=self.parse,
            errback=self.on_error,
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        jobs, problem = self.read_jobs(response, self.board)
        if problem:
            yield self.problem(response, problem)
            return
        stats = self.crawler.stats
        assert stats is not None
        for job in jobs:
            if not isinstance(job, dict) or not job.get("id"):
                yield self.problem(response, f"a job of board {self.board!r} has no id")
                continue
            if job.get("isListed") is False:
                stats.inc_value("ippo/ats/unlisted_skipped")
                continue
            job_id, version = str(job["id"]), str(job.get("updatedAt") or job.get("publishedAt") or "")
            stats.inc_value(
                "ippo/ats/unchanged" if self.state_file.is_known(job_id, version) else "ippo/ats/new"
            )
            self.state_file.mark(job_id, version)
            yield self.item(response, job, board=self.board)
