"""`lever`: one Lever job site through its public Postings API.

    [sources.lever-palantir]
    spider = "lever"
    board = "palantir"       # the site name of jobs.lever.co/<site>

``/v0/postings/<site>?mode=json`` returns every published posting with its full text in one
response, so there is nothing more to fetch per posting; the seen-ids state only counts what
is new and what was removed since the last run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.spiders.base import BoardSpider


class LeverSpider(BoardSpider):
    name = "lever"
    kind = "lever_posting"
    default_base_url = "https://api.lever.co/v0/postings"
    board_label = "site name"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            f"{self.base_url}/{self.board}?mode=json", callback=self.parse, errback=self.on_error
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        data, problem = self.read_json(response)
        if problem:
            yield self.problem(response, problem)
            return
        if not isinstance(data, list):
            yield self.problem(response, f"the postings of {self.board!r} are not a JSON array")
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("ippo/ats/listed", len(data))
        for posting in data:
            if not isinstance(posting, dict) or not posting.get("id"):
                yield self.problem(response, f"a posting of {self.board!r} has no id")
                continue
            job_id, version = (
                str(posting["id"]),
                str(posting.get("updatedAt") or posting.get("createdAt") or ""),
            )
            stats.inc_value(
                "ippo/ats/unchanged" if self.state_file.is_known(job_id, version) else "ippo/ats/new"
            )
            self.state_file.mark(job_id, version)
            yield self.item(response, posting, board=self.board)
