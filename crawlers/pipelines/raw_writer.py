"""Append every item of a run to $IPPO_HOME/raw/<source>/<run>.jsonl.

Lines are written and flushed as they come, into ``<run>.jsonl.part``; a clean close renames
the file to ``<run>.jsonl`` (which the loader picks up) and writes ``<run>.stats.json`` beside it.
The rename is atomic, so the loader never reads half a run. While the run is open,
``<run>.pid`` names the writing process: if that process dies (kill -9, power loss), the next
run of the source sees the .part file is orphaned and finalizes it (crawlers/recovery.py), so
nothing already written is lost.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class RawWriterPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.home = Path(crawler.settings.get("IPPO_HOME"))
        self.run_id = crawler.settings.get("IPPO_RUN_ID") or new_run_id()
        self.file: IO[str] | None = None
        self.part_path: Path | None = None
        self.pid_path: Path | None = None
        self.final_path: Path | None = None
        self.started = time.monotonic()
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawWriterPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        if spider is None:
            raise RuntimeError("the raw writer was opened before its crawler had a spider")
        source = getattr(spider, "source", None) or spider.name
        folder = self.home / "raw" / source
        folder.mkdir(parents=True, exist_ok=True)
        self.part_path = folder / f"{self.run_id}.jsonl.part"
        self.pid_path = folder / f"{self.run_id}.pid"
        self.pid_path.write_text(str(os.getpid()), encoding="ascii")
        self.file = self.part_path.open("a", encoding="utf-8")
        self.started = time.monotonic()

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        assert self.file is not None
        record = dict(item)
        record["run_id"] = self.run_id
        self.file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.file.flush()
        self.count += 1
        self.stats.inc_value("ippo/items/written")
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.file is None or self.part_path is None:
            return
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        final = self.part_path.with_suffix("")  # drop ".part"
        os.replace(self.part_path, final)
        self.final_path = final
        if self.pid_path is not None:
            self.pid_path.unlink(missing_ok=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Write <run>.stats.json once the close reason is known (pipelines close before it is)."""
        if self.final_path is None:
            return
        stats = {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.stats.get_stats().items()
        }
        stats["finish_reason"] = reason
        summary = {
            "source": getattr(spider, "source", spider.name),
            "spider": spider.name,
            "run_id": self.run_id,
            "raw_file": self.final_path.name,
            "items_written": self.count,
            "finish_reason": reason,
            "duration_s": round(time.monotonic() - self.started, 3),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "scrapy_stats": stats,
        }
        write_stats(self.final_path.with_name(f"{self.run_id}.stats.json"), summary)


def write_stats(path: Path, summary: dict[str, Any]) -> None:
    """Write a run's stats file atomically (readers never see half of it)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)
