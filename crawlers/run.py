"""Run one crawl per source, each in its own process (Twisted's reactor runs once per
process, and one source failing must never take the others down)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawlers.pipelines.raw_writer import new_run_id
from crawlers.sources import Source


@dataclass
class CrawlResult:
    source: str
    run_id: str
    returncode: int
    raw_file: Path | None
    stats: dict[str, Any]
    log_file: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.raw_file is not None


def _setting_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, dict | list | bool) else str(value)


def run_crawl(source: Source, home: Path, extra_settings: dict[str, Any] | None = None,
              timeout_s: float | None = None) -> CrawlResult:
    run_id = new_run_id()
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{source.name}-{run_id}.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", source.spider, "-a", f"source={source.name}"]
    for key, value in source.args.items():
        cmd += ["-a", f"{key}={value}"]
    settings = {**source.settings, **(extra_settings or {}), "LOG_FILE": str(log_file)}
    for key, value in settings.items():
        cmd += ["-s", f"{key}={_setting_value(value)}"]
    env = {**os.environ, "IPPO_HOME": str(home), "IPPO_RUN_ID": run_id, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                      env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False)
        returncode = proc.returncode
        if proc.stderr.strip():
            with log_file.open("a", encoding="utf-8") as handle:
                handle.write(proc.stderr)
    except subprocess.TimeoutExpired:
        returncode = -9
    folder = home / "raw" / source.name
    raw_file = folder / f"{run_id}.jsonl"
    stats_file = folder / f"{run_id}.stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    return CrawlResult(source=source.name, run_id=run_id, returncode=returncode,
                       raw_file=raw_file if raw_file.exists() else None, stats=stats, log_file=log_file)
