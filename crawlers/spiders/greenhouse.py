"""`greenhouse`: one Greenhouse job board through its public Job Board API.

    [sources.greenhouse-discord]
    spider = "greenhouse"
    board = "discord"        # the board token of boards.greenhouse.io/<token>

The list endpoint (``/v1/boards/<token>/jobs``) gives every open job without its text; the
detail endpoint (``/jobs/<id>``) adds ``content``, departments and offices. Details are fetched
only for jobs that are new or whose ``updated_at`` moved since the last run; the others are
written as the list entry with ``detail_fetched: false``, so the loader still sees them open
(pipeline/sources/greenhouse.py identifies a Greenhouse job by id and updated_at).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.items import RawItem
from crawlers.spiders.base import BoardSpider


class GreenhouseSpider(BoardSpider):
    name = "greenhouse"
    kind = "greenhouse_job"
    default_base_url = "https://boards-api.greenhouse.io/v1/boards"
    board_label = "board token"

    def list_url(self) -> str:
        return f"{self.base_url}/{self.board}/jobs"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.list_url(), callback=self.parse_list, errback=self.on_error)

    def parse_list(self, response: Response) -> Iterator[Any]:
        jobs, problem = self.read_jobs(response, self.board)
        if problem:
            yield self.problem(response, problem)
            return
        stats = self.crawler.stats
        assert stats is not None
        for job in jobs:
            if not isinstance(job, dict) or job.get("id") is None:
                yield self.problem(response, f"a job of board {self.board!r} has no id")
                continue
            job_id, version = str(job["id"]), str(job.get("updated_at") or "")
            if self.state_file.is_known(job_id, version):
                stats.inc_value("ippo/ats/unchanged")
                self.state_file.mark(job_id, version)
                yield self.item(response, job, board=self.board, detail_fetched=False)
                continue
            stats.inc_value("ippo/ats/detail_requested")
            yield scrapy.Request(
                f"{self.base_url}/{self.board}/jobs/{job_id}",
                callback=self.parse_detail,
                errback=self.on_error,
                cb_kwargs={"listed": job},
            )

    def parse_detail(self, response: Response, listed: dict[str, Any]) -> Iterator[RawItem]:
        detail, problem = self.read_json(response)
        if problem or not isinstance(detail, dict):
            yield self.problem(response, problem or f"the job detail at {response.url} is not an object")
            return
        payload = {**listed, **detail}
        self.state_file.mark(str(listed["id"]), str(listed.get("updated_at") or ""))
        yield self.item(response, payload, board=self.board, detail_fetched=True)
