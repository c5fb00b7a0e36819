"""Run one crawl per source, each in its own process (Twisted's reactor runs once per
process, and one source failing must never take the others down).

Around each crawl process this module does the bookkeeping that makes runs safe to repeat:
orphaned raw files of a killed run are finalized first (crawlers/recovery.py); the Scrapy job
directory ($IPPO_HOME/jobs/<source>) is kept after a clean stop so the next run resumes, and
dropped after a finished run or a kill (its seen-requests file would otherwise filter every
request of the next run); a run that overstays max_runtime is stopped cleanly (SIGTERM, then
SIGKILL); and every run is recorded in the source's ledger (crawlers/ledger.py).

While a crawl runs, its process reports progress to a file the parent reads every
``PROGRESS_POLL_S`` seconds (crawlers/crawl_progress.py) and hands to the caller's
``on_progress``, so progress shows as it happens, not only when the process exits.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crawlers import ledger
from crawlers.crawl_progress import EXTENSION as PROGRESS_EXTENSION
from crawlers.crawl_progress import CrawlProgress, read_progress
from crawlers.pipelines.raw_writer import new_run_id
from crawlers.recovery import Recovered, finalize_orphans
from crawlers.sources import Source
from ippo.config import env_name

RESUMABLE_MARKER = ".resumable"
# Extra time a crawl gets beyond CLOSESPIDER_TIMEOUT to close cleanly before it is stopped.
_GRACE_S = 60.0
# How often the parent looks at a running crawl's progress file.
PROGRESS_POLL_S = 0.5

OnProgress = Callable[[CrawlProgress], None]


@dataclass
class CrawlResult:
    source: str
    run_id: str
    returncode: int
    raw_file: Path | None
    stats: dict[str, Any]
    log_file: Path
    error: str | None = None
    recovered: list[Recovered] = field(default_factory=list)

    @property
    def finish_reason(self) -> str | None:
        return self.stats.get("finish_reason")

    @property
    def items(self) -> int:
        return int(self.stats.get("items_written", 0))

    @property
    def requests(self) -> int:
        return int(self.stats.get("scrapy_stats", {}).get("downloader/request_count", 0))

    @property
    def errors(self) -> dict[str, int]:
        return ledger.errors_by_kind(self.stats.get("scrapy_stats", {}))

    @property
    def ok(self) -> bool:
        """Finished with a raw file, and not a run where everything fetched failed."""
        if self.returncode != 0 or self.raw_file is None:
            return False
        fetch_errors = sum(n for k, n in self.errors.items() if k.startswith(("exception:", "http_")))
        problems = int(self.stats.get("scrapy_stats", {}).get("ippo/items/problem", 0))
        return not (self.items - problems <= 0 and fetch_errors > 0)


def _setting_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, dict | list | bool) else str(value)


def _last_error(stderr: str) -> str | None:
    """The message of the exception that ended a failed crawl process (last 'SomethingError: ...')."""
    for line in reversed(stderr.strip().splitlines()):
        text = line.strip()
        head = text.split(":", 1)[0]
        if ":" in text and (head.endswith(("Error", "Exception")) or head.endswith("NotConfigured")):
            return text
    return None


def prepare_jobdir(home: Path, source: str) -> Path:
    """The source's JOBDIR, emptied unless the previous run stopped cleanly before finishing."""
    jobdir = home / "jobs" / source
    if jobdir.exists() and not (jobdir / RESUMABLE_MARKER).exists():
        shutil.rmtree(jobdir, ignore_errors=True)
    (jobdir / RESUMABLE_MARKER).unlink(missing_ok=True)
    return jobdir


def settle_jobdir(jobdir: Path, finish_reason: str | None) -> None:
    """Keep the job directory for resumption only after a clean stop that left work queued."""
    if finish_reason is None or finish_reason == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)
    elif jobdir.exists():
        (jobdir / RESUMABLE_MARKER).write_text(finish_reason, encoding="utf-8")


def _wait_reporting(proc: subprocess.Popen, timeout_s: float, progress_file: Path | None,
                    on_progress: OnProgress | None) -> str:
    """Wait for the process (its stderr is returned), passing its progress on as it changes;
    raises TimeoutExpired after timeout_s."""
    if on_progress is None or progress_file is None:
        return proc.communicate(timeout=timeout_s)[1]
    deadline = time.monotonic() + timeout_s
    last: CrawlProgress | None = None

    def report() -> None:
        nonlocal last
        now = read_progress(progress_file)
        if now is not None and now != last:
            on_progress(now)
            last = now

    while True:
        try:
            # communicate() keeps what it has read when it times out, for the next call.
            stderr = proc.communicate(timeout=max(0.0, min(deadline - time.monotonic(), PROGRESS_POLL_S)))[1]
            report()  # the figures written as the spider closed
            return stderr
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                raise
        report()


def _run_process(cmd: list[str], env: dict[str, str], timeout_s: float, progress_file: Path | None = None,
                 on_progress: OnProgress | None = None) -> tuple[int, str]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stderr = _wait_reporting(proc, timeout_s, progress_file, on_progress)
        return proc.returncode, stderr
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # Scrapy's graceful shutdown: close the run, keep the queue
        try:
            _, stderr = proc.communicate(timeout=_GRACE_S)
            return proc.returncode or -int(signal.SIGTERM), stderr
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
            return -int(signal.SIGKILL), stderr


def build_command(
    source: Source,
    home: Path,
    run_id: str,
    jobdir: Path | None,
    log_file: Path,
    extra_settings: dict[str, Any] | None = None,
    progress_file: Path | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The `scrapy crawl` command line and environment of one run of a source (reporting its
    progress to ``progress_file`` when one is given)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", source.spider, "-a", f"source={source.name}"]
    if source.origin is not None:
        cmd += ["-a", f"sources_dir={source.origin.parent}"]
    for key, value in source.args.items():
        cmd += ["-a", f"{key}={value}"]
    settings: dict[str, Any] = {
        "JOBDIR": str(jobdir) if jobdir else "",
        "CLOSESPIDER_TIMEOUT": source.max_runtime_s,
        **source.settings,
        **(extra_settings or {}),
        "LOG_FILE": str(log_file),
    }
    if progress_file is not None:
        settings["EXTENSIONS"] = {**(settings.get("EXTENSIONS") or {}), PROGRESS_EXTENSION: 0}
        settings["IPPO_PROGRESS_FILE"] = str(progress_file)
    if not settings.get("JOBDIR"):
        settings.pop("JOBDIR")
    for key, value in settings.items():
        cmd += ["-s", f"{key}={_setting_value(value)}"]
    # The crawl process reads its ippo settings (crawlers/settings.py) from this environment.
    env = {
        **os.environ,
        env_name("home"): str(home),
        env_name("run_id"): run_id,
        "SCRAPY_SETTINGS_MODULE": "crawlers.settings",
    }
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH")])
    )
    return cmd, env


def run_crawl(
    source: Source, home: Path, extra_settings: dict[str, Any] | None = None, timeout_s: float | None = None,
    on_progress: OnProgress | None = None,
) -> CrawlResult:
    """Crawl one source in a child process; returns what happened (never raises for a bad source).
    ``on_progress`` is told the run's progress whenever it changes while the process runs."""
    run_id = new_run_id()
    started_at = ledger.iso(ledger.utcnow())
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{source.name}-{run_id}.log"
    folder = home / "raw" / source.name
    recovered = finalize_orphans(folder)
    jobdir = prepare_jobdir(home, source.name)

    progress_file = logs / f"crawl-{source.name}-{run_id}.progress.json" if on_progress is not None else None
    cmd, env = build_command(source, home, run_id, jobdir, log_file, extra_settings, progress_file)
    limit = timeout_s if timeout_s is not None else source.max_runtime_s + _GRACE_S
    try:
        returncode, stderr = _run_process(cmd, env, limit, progress_file, on_progress)
    finally:
        if progress_file is not None:
            progress_file.unlink(missing_ok=True)
            progress_file.with_name(progress_file.name + ".partial").unlink(missing_ok=True)
    if stderr.strip():
        with log_file.open("a", encoding="utf-8") as handle:
            handle.write(stderr)

    raw_file = folder / f"{run_id}.jsonl"
    stats_file = folder / f"{run_id}.stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    settle_jobdir(jobdir, stats.get("finish_reason") if returncode == 0 or stats else None)
    error = None
    if returncode != 0:
        log_tail = log_file.read_text(encoding="utf-8", errors="replace")[-20000:] if log_file.exists() else ""
        error = _last_error(log_tail) or f"the crawl process exited with status {returncode}"
    result = CrawlResult(
        source=source.name,
        run_id=run_id,
        returncode=returncode,
        raw_file=raw_file if raw_file.exists() else None,
        stats=stats,
        log_file=log_file,
        error=error,
        recovered=recovered,
    )
    if result.returncode == 0 and not result.ok and result.error is None:
        result.error = "every request failed; nothing was written"
    ledger.record_run(
        home,
        source.name,
        {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": stats.get("finished_at") or ledger.iso(datetime.now(ledger.UTC)),
            "ok": result.ok,
            "finish_reason": result.finish_reason or ("killed" if returncode < 0 else "failed"),
            "items": result.items,
            "requests": result.requests,
            "errors": result.errors,
            "error_rate": ledger.error_rate(result.errors, result.requests),
            "duration_s": stats.get("duration_s"),
            "error": result.error,
            "raw_file": raw_file.name if raw_file.exists() else None,
            "recovered_runs": [r.raw_file.name for r in recovered],
        },
        every_s=source.every_s,
    )
    return result
