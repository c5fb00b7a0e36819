"""Append every item of a run to $IPPO_HOME/raw/<source>/<run>.jsonl.

Lines are written and flushed as they come, into ``<run>.jsonl.part``; a clean close renames
the file to ``<run>.jsonl`` (which the loader picks up) and writes ``<run>.stats.json`` beside it.
The rename is atomic, so the loader never reads half a run.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
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
        self.started = time.monotonic()
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawWriterPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        source = getattr(spider, "source", None) or spider.name
        folder = self.home / "raw" / source
        folder.mkdir(parents=True, exist_ok=True)
        self.part_path = folder / f"{self.run_id}.jsonl.part"
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
        stats = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.stats.get_stats().items()}
        spider = spider or self.crawler.spider
        summary = {
            "source": getattr(spider, "source", spider.name),
            "spider": spider.name,
            "run_id": self.run_id,
            "raw_file": final.name,
            "items_written": self.count,
            "duration_s": round(time.monotonic() - self.started, 3),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "scrapy_stats": stats,
        }
        stats_path = final.with_name(f"{self.run_id}.stats.json")
        tmp = stats_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, stats_path)
