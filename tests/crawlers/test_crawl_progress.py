"""A crawl's progress reaches the parent while the crawl process runs, not only when it exits."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from scrapy.utils.test import get_crawler

from crawlers.crawl_progress import EXTENSION, CrawlProgress, ReportProgress, read_progress, write_progress
from crawlers.run import _wait_reporting, build_command, run_crawl
from crawlers.sources import Source
from tests.conftest import ROOT
from tests.crawlers.mock_server import mock_server
from tests.crawlers.test_crawl_faults import FAST

# A stand-in crawl process: reports three times, a little apart, the way the extension does.
CHILD = """
import sys, time
from pathlib import Path
from crawlers.crawl_progress import CrawlProgress, write_progress
for n in (1, 2, 3):
    write_progress(Path(sys.argv[1]), CrawlProgress(items=n * 10, requests=n * 12, errors=n - 1, elapsed_s=n))
    time.sleep(0.8)
print("done", file=sys.stderr)
"""


def test_the_parent_hears_each_report_while_the_process_runs(tmp_path: Path) -> None:
    progress_file = tmp_path / "crawl.progress.json"
    heard: list[tuple[float, CrawlProgress]] = []
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(progress_file)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr = _wait_reporting(proc, 60, progress_file, lambda now: heard.append((time.monotonic(), now)))
    ended = time.monotonic()
    assert "done" in stderr and proc.returncode == 0
    assert [p.items for _, p in heard] == [10, 20, 30]
    assert heard[0][0] < ended - 1.0, "the first report arrived while the process still ran"


def test_the_extension_writes_the_runs_figures(tmp_path: Path) -> None:
    target = tmp_path / "p.json"
    crawler = get_crawler(settings_dict={"IPPO_PROGRESS_FILE": str(target)})
    extension = ReportProgress.from_crawler(crawler)
    assert crawler.stats is not None
    crawler.stats.set_value("ippo/items/written", 7)
    crawler.stats.set_value("downloader/request_count", 9)
    crawler.stats.set_value("downloader/response_status_count/404", 2)
    extension.report()
    written = read_progress(target)
    assert written is not None and (written.items, written.requests, written.errors) == (7, 9, 2)


def test_progress_files_are_read_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "p.json"
    assert read_progress(target) is None
    target.write_text('{"items": 3, "requ')
    assert read_progress(target) is None
    write_progress(target, CrawlProgress(items=4))
    assert read_progress(target) == CrawlProgress(items=4) and not list(tmp_path.glob("*.partial"))


def test_the_crawl_command_turns_the_extension_on_only_when_watched(tmp_path: Path) -> None:
    source = Source(name="demo", spider="jsonld", args={"urls": "http://127.0.0.1/"})
    plain, _ = build_command(source, tmp_path, "r1", None, tmp_path / "log")
    watched, _ = build_command(source, tmp_path, "r1", None, tmp_path / "log", progress_file=tmp_path / "p.json")
    assert not any(EXTENSION in part for part in plain)
    assert f"EXTENSIONS={json.dumps({EXTENSION: 0})}" in watched
    assert f"IPPO_PROGRESS_FILE={tmp_path / 'p.json'}" in watched


def test_a_real_crawl_reports_progress_that_ends_at_its_result(tmp_path: Path) -> None:
    heard: list[CrawlProgress] = []
    with mock_server() as (base, _):
        source = Source(name="gh-progress", spider="greenhouse",
                        args={"board": "greenhouse", "base_url": f"{base}/gh/v1/boards"})
        result = run_crawl(source, tmp_path, extra_settings={**FAST, "IPPO_PROGRESS_INTERVAL": 0.2},
                           on_progress=heard.append)
    assert result.ok and result.items > 0
    assert heard and heard[-1].items == result.items and heard[-1].requests == result.requests
    assert [p.items for p in heard] == sorted(p.items for p in heard)
    assert not list((tmp_path / "logs").glob("*.progress.json*"))  # the parent removes the file after the run
