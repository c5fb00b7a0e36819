"""Progress of a running crawl, seen from the process that started it.

The crawl process (one per source, crawlers/run.py) runs the Scrapy extension ``ReportProgress``:
every ``IPPO_PROGRESS_INTERVAL`` seconds, and once when the spider closes, it replaces the file
named by the setting ``IPPO_PROGRESS_FILE`` with a one-line JSON summary of the run so far
(items written, requests, errors, seconds). The parent reads that file while it waits
(``read_progress``), so a person watching sees each source advance as it happens.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crawlers import ledger

EXTENSION = "crawlers.crawl_progress.ReportProgress"
DEFAULT_INTERVAL_S = 1.0


@dataclass(frozen=True)
class CrawlProgress:
    items: int = 0
    requests: int = 0
    errors: int = 0
    elapsed_s: float = 0.0


def summarize(scrapy_stats: dict[str, Any], elapsed_s: float) -> CrawlProgress:
    """The figures a person watches, from Scrapy's stats of the run so far."""
    return CrawlProgress(
        items=int(scrapy_stats.get("ippo/items/written", 0)),
        requests=int(scrapy_stats.get("downloader/request_count", 0)),
        errors=sum(ledger.errors_by_kind(scrapy_stats).values()),
        elapsed_s=round(elapsed_s, 1),
    )


def write_progress(path: Path, progress: CrawlProgress) -> None:
    """Replace the progress file at once, so a reader never sees half a line."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(asdict(progress)), encoding="utf-8")
    os.replace(partial, path)


def read_progress(path: Path) -> CrawlProgress | None:
    """The latest progress a crawl process wrote (None before its first report)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return CrawlProgress(**{k: data[k] for k in ("items", "requests", "errors", "elapsed_s") if k in data})


class ReportProgress:
    """Scrapy extension: writes the run's progress file on a timer and when the spider closes."""

    def __init__(self, crawler: Any, path: Path, interval_s: float) -> None:
        self.crawler = crawler
        self.path = path
        self.interval_s = interval_s
        self.started = time.monotonic()
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReportProgress:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        target = crawler.settings.get("IPPO_PROGRESS_FILE")
        if not target:
            raise NotConfigured("IPPO_PROGRESS_FILE is not set")
        extension = cls(crawler, Path(target), crawler.settings.getfloat("IPPO_PROGRESS_INTERVAL", DEFAULT_INTERVAL_S))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.started = time.monotonic()
        self.report()
        self.task = task.LoopingCall(self.report)
        self.task.start(self.interval_s, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report()

    def report(self) -> None:
        stats = self.crawler.stats.get_stats()
        write_progress(self.path, summarize(stats, time.monotonic() - self.started))
