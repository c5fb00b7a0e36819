"""Runs over time: incremental ATS crawls, failing sources backed off, a missing API key, a crawl
killed with SIGKILL and recovered, a crawl stopped cleanly and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from crawlers import ledger
from crawlers.run import CrawlResult, build_command, prepare_jobdir, run_crawl
from crawlers.sources import Source
from tests.crawlers.mock_server import MockState, mock_server, read_items
from tests.crawlers.test_crawl_faults import FAST


class Runs:
    home: Path
    state: MockState
    gh_first: CrawlResult
    gh_second: CrawlResult
    gh_hits_first: int
    gh_hits_second: int
    down_first: CrawlResult
    down_second: CrawlResult
    usajobs: CrawlResult
    killed_lines: int
    after_kill: CrawlResult
    stopped: CrawlResult
    resumed: CrawlResult
    jobdir_kept: bool


def _detail_hits(state: MockState) -> int:
    return sum(1 for p in state.paths() if p.startswith("/gh/v1/boards/greenhouse/jobs/"))


@pytest.fixture(scope="module")
def runs() -> Runs:
    out = Runs()
    out.home = home = Path(tempfile.mkdtemp(prefix="ippo-runs-"))
    with mock_server() as (base, state):
        out.state = state
        gh = Source(
            name="gh-greenhouse", spider="greenhouse", args={"board": "greenhouse", "base_url": f"{base}/gh/v1/boards"}
        )
        out.gh_first = run_crawl(gh, home, extra_settings=FAST)
        out.gh_hits_first = _detail_hits(state)
        out.gh_second = run_crawl(gh, home, extra_settings=FAST)
        out.gh_hits_second = _detail_hits(state) - out.gh_hits_first

        down = Source(name="down", spider="jsonld", args={"urls": "http://127.0.0.1:9/jobs/1"})
        out.down_first = run_crawl(down, home, extra_settings=FAST)
        out.down_second = run_crawl(down, home, extra_settings=FAST)

        env_key = os.environ.pop("USAJOBS_API_KEY", None)
        try:
            out.usajobs = run_crawl(
                Source(name="usajobs", spider="usajobs", args={"base_url": f"{base}/api"}), home, extra_settings=FAST
            )
        finally:
            if env_key is not None:
                os.environ["USAJOBS_API_KEY"] = env_key

        # SIGKILL in the middle of a crawl of slow pages, then the next run of the same source.
        slow = {**FAST, "CONCURRENT_REQUESTS": 1}
        victim = Source(name="victim", spider="jsonld", args={"urls": f"{base}/sitemap-slow-40.xml"})
        log = home / "logs" / "victim-killed.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        cmd, env = build_command(victim, home, "20260101T000000000000Z", None, log, slow)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        part = home / "raw" / "victim" / "20260101T000000000000Z.jsonl.part"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not part.exists() or part.read_bytes().count(b"\n") < 3):
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with part.open("ab") as handle:  # a line cut off mid-write, as a kill can leave it
            handle.write(b'{"kind": "jobposting", "source": "victim", "payl')
        out.killed_lines = part.read_bytes().count(b"\n")
        out.after_kill = run_crawl(
            Source(name="victim", spider="jsonld", args={"urls": f"{base}/flaky/after"}), home, extra_settings=FAST
        )

        # A clean stop (max_runtime reached) keeps the job queue; the next run resumes it.
        resumable = Source(
            name="resumable",
            spider="jsonld",
            args={"urls": f"{base}/sitemap-slow-12.xml"},
            settings={"CONCURRENT_REQUESTS": 1},
            max_runtime_s=2.0,
        )
        out.stopped = run_crawl(resumable, home, extra_settings=FAST)
        out.jobdir_kept = (home / "jobs" / "resumable" / ".resumable").exists()
        resumable.max_runtime_s = 60.0
        out.resumed = run_crawl(resumable, home, extra_settings=FAST)
    return out


def _slow_titles(result: CrawlResult) -> list[str]:
    return [i["payload"]["title"] for i in read_items(result.raw_file) if i["kind"] == "jobposting"]


def test_first_greenhouse_run_fetches_every_detail(runs: Runs) -> None:
    assert runs.gh_hits_first == 14


def test_second_greenhouse_run_fetches_no_detail(runs: Runs) -> None:
    assert runs.gh_hits_second == 0


def test_second_greenhouse_run_still_reports_every_job(runs: Runs) -> None:
    assert len(read_items(runs.gh_second.raw_file)) == 14


def test_first_greenhouse_run_has_the_content(runs: Runs) -> None:
    first = read_items(runs.gh_first.raw_file)
    assert all("About the role" in i["payload"]["content"] for i in first)


def test_unreachable_source_is_reported_failed(runs: Runs) -> None:
    assert not runs.down_first.ok


def test_failing_source_is_backed_off_longer_each_time(runs: Runs) -> None:
    record = ledger.read_ledger(runs.home, "down")
    finished = ledger.parse_iso(record["runs"][-1]["finished_at"])
    assert (ledger.parse_iso(record["next_due"]) - finished).total_seconds() == ledger.failure_delay_s(2)


def test_failure_delay_grows(runs: Runs) -> None:
    assert ledger.failure_delay_s(2) > ledger.failure_delay_s(1)


def test_failing_source_counts_consecutive_failures(runs: Runs) -> None:
    assert ledger.read_ledger(runs.home, "down")["consecutive_failures"] == 2


def test_connection_errors_are_recorded_by_kind(runs: Runs) -> None:
    assert runs.down_first.errors.get("exception:DownloadConnectionRefusedError", 0) >= 1


def test_missing_usajobs_key_fails_with_a_clear_message(runs: Runs) -> None:
    assert "USAJOBS_API_KEY is not set" in (runs.usajobs.error or "")


def test_missing_usajobs_key_is_in_the_ledger(runs: Runs) -> None:
    assert "USAJOBS_API_KEY" in ledger.read_ledger(runs.home, "usajobs")["runs"][-1]["error"]


def test_killed_run_is_finalized_on_the_next_run(runs: Runs) -> None:
    assert runs.after_kill.recovered[0].raw_file.name == "20260101T000000000000Z.jsonl"


def test_killed_run_keeps_every_complete_line(runs: Runs) -> None:
    assert runs.after_kill.recovered[0].lines_kept == runs.killed_lines


def test_killed_run_drops_the_truncated_line(runs: Runs) -> None:
    assert runs.after_kill.recovered[0].truncated_lines_dropped == 1


def test_recovered_run_is_readable_json_lines(runs: Runs) -> None:
    assert all(i["kind"] == "jobposting" for i in read_items(runs.after_kill.recovered[0].raw_file))


def test_no_part_file_left_after_recovery(runs: Runs) -> None:
    assert not list((runs.home / "raw" / "victim").glob("*.part"))


def test_clean_stop_keeps_the_job_queue(runs: Runs) -> None:
    assert runs.jobdir_kept


def test_clean_stop_is_not_finished(runs: Runs) -> None:
    assert runs.stopped.finish_reason == "closespider_timeout"


def test_resumed_run_finishes(runs: Runs) -> None:
    assert runs.resumed.finish_reason == "finished"


def test_resumed_run_does_not_refetch_pages(runs: Runs) -> None:
    slow_hits = [p for p in runs.state.paths() if p.startswith("/slow/") and int(p.rsplit("/", 1)[1]) < 12]
    assert len(slow_hits) == len(set(slow_hits))


def test_stopped_and_resumed_runs_cover_the_site(runs: Runs) -> None:
    # Requests in flight at the stop are lost (Scrapy persists only the queue): at most one here.
    assert len(set(_slow_titles(runs.stopped)) | set(_slow_titles(runs.resumed))) >= 11


def test_finished_run_drops_the_job_dir(runs: Runs) -> None:
    assert not (runs.home / "jobs" / "resumable").exists()


def test_stale_job_dir_without_marker_is_emptied(tmp_path: Path) -> None:
    stale = tmp_path / "jobs" / "src"
    stale.mkdir(parents=True)
    (stale / "requests.seen").write_text("abc\n")
    prepare_jobdir(tmp_path, "src")
    assert not (stale / "requests.seen").exists()
