"""Retry 429/5xx and network errors after a wait, honouring the server's Retry-After.

Scrapy's stock RetryMiddleware re-queues a failed request at once; against a server that said
"429 Too Many Requests, Retry-After: 30" that is rude and usually futile. This one waits first:
``Retry-After`` (seconds or an HTTP date) when the server sends it, otherwise an exponential
backoff (base, 2x base, 4x base, ... capped). The wait happens inside the downloader slot, so
the whole domain pauses, which is what the server asked for. A Retry-After longer than
IPPO_RETRY_AFTER_MAX is not waited for: the request gives up and the stats say why.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        settings = crawler.settings
        self.backoff_base = settings.getfloat("IPPO_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("IPPO_RETRY_BACKOFF_MAX", 120.0)
        self.retry_after_max = settings.getfloat("IPPO_RETRY_AFTER_MAX", 600.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def _backoff(self, request: Request) -> float:
        attempt = int(request.meta.get("retry_times", 0))
        return min(self.backoff_max, self.backoff_base * (2**attempt))

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("ippo/retry/wait_seconds", round(seconds, 3))  # type: ignore[arg-type]  # seconds are fractional; the collector adds any number
            await asyncio.sleep(seconds)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        stats = self.crawler.stats
        assert stats is not None
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None:
            stats.inc_value("ippo/retry/retry_after_honoured")
            if wait > self.retry_after_max:
                stats.inc_value("ippo/retry/retry_after_too_long")
                return response
        else:
            wait = self._backoff(request)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(wait)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(self._backoff(request))
        return retry
