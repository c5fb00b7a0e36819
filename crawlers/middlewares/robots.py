"""robots.txt that holds for every request, including those that arrive while it is being fetched.

In Scrapy 2.19 (asyncio reactor) the requests that wait for a site's robots.txt all await the
same Deferred. Each waiter adapts it into a future, and that adaptation consumes the Deferred's
result, so only the first waiter gets the parser; the others get None, which the stock
middleware reads as "no robots.txt, everything allowed". Seen here: of three requests queued
at start, a disallowed one was fetched. The parser is stored per site once parsed, so a waiter
that received None looks it up there instead.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class ConcurrentSafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser
