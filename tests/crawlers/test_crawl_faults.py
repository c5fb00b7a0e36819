"""Crawl a local mock server with fault endpoints through the real runner (one process per run).

Each crawl runs once at module level; the tests then assert one behaviour each: retries after a
503, the wait a 429's Retry-After asked for, a download timeout, the size cap, robots.txt, a
304 revalidation served from the HTTP cache, broken JSON-LD, a wrong charset.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from crawlers.run import CrawlResult, run_crawl
from crawlers.sources import Source
from tests.conftest import PAGES
from tests.crawlers.mock_server import ETAG, MockState, mock_server, read_items

# Short timeouts and no politeness delays: the behaviour is the same, the suite stays fast.
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 2,
    "DOWNLOAD_MAXSIZE": 1_000_000,
    "DOWNLOAD_WARNSIZE": 0,
    "RETRY_TIMES": 1,
    "IPPO_RETRY_BACKOFF_BASE": 0.2,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
PATHS = ["/flaky/a", "/ratelimited/a", "/hang", "/huge", "/private/job", "/malformed/job", "/sjis/job", "/cached/job"]


class Crawl:
    home: Path
    state: MockState
    first: CrawlResult
    first_seconds: float
    second: CrawlResult


@pytest.fixture(scope="module")
def crawl() -> Crawl:
    result = Crawl()
    result.home = Path(tempfile.mkdtemp(prefix="ippo-faults-"))
    with mock_server() as (base, state), pytest.MonkeyPatch.context() as env:
        env.setenv("IPPO_CONTACT_URL", "https://example.org/crawler-contact")
        result.state = state
        source = Source(name="faults", spider="jsonld", args={"urls": ",".join(base + p for p in PATHS)})
        started = time.monotonic()
        result.first = run_crawl(source, result.home, extra_settings=FAST)
        result.first_seconds = time.monotonic() - started
        again = Source(name="faults-again", spider="jsonld", args={"urls": base + "/cached/job"})
        result.second = run_crawl(again, result.home, extra_settings=FAST)
    return result


def _titles(result: CrawlResult) -> set[str]:
    return {i["payload"].get("title") for i in read_items(result.raw_file) if i["kind"] == "jobposting"}


def _problems(result: CrawlResult) -> list[str]:
    return [i["problem"] for i in read_items(result.raw_file) if i["kind"] == "problem"]


def test_run_succeeds_despite_faults(crawl: Crawl) -> None:
    assert crawl.first.ok


def test_503_then_200_is_retried_and_read(crawl: Crawl) -> None:
    assert "Flaky but fine" in _titles(crawl.first)


def test_429_retry_waited_for_retry_after(crawl: Crawl) -> None:
    times = [h.at for h in crawl.state.hits if h.path == "/ratelimited/a"]
    assert times[1] - times[0] >= 1.9


def test_429_page_is_read_after_the_wait(crawl: Crawl) -> None:
    assert "Rate limited then served" in _titles(crawl.first)


def test_never_ending_response_times_out(crawl: Crawl) -> None:
    assert crawl.first.errors.get("exception:DownloadTimeoutError", 0) >= 1


def test_timeout_does_not_hang_the_run(crawl: Crawl) -> None:
    assert crawl.first_seconds < 30


def test_timed_out_page_is_reported_as_a_problem(crawl: Crawl) -> None:
    assert any("/hang" in p for p in _problems(crawl.first))


def test_size_cap_stops_a_50_mb_body_early(crawl: Crawl) -> None:
    assert crawl.state.huge_bytes_sent < 20 * 1024 * 1024


def test_oversized_page_is_reported_as_a_problem(crawl: Crawl) -> None:
    assert any("/huge" in p for p in _problems(crawl.first))


def test_robots_disallowed_page_is_never_fetched(crawl: Crawl) -> None:
    assert "/private/job" not in crawl.state.paths()


def test_robots_refusal_is_counted(crawl: Crawl) -> None:
    assert crawl.first.errors.get("robots_forbidden") == 1


def test_honest_user_agent_with_contact_url(crawl: Crawl) -> None:
    assert all(
        h.user_agent == "ippo-jobs-bot/0.1 (+https://example.org/crawler-contact)" for h in crawl.state.hits
    )


def test_malformed_jsonld_block_is_a_problem_item(crawl: Crawl) -> None:
    assert any(p.startswith("JSON-LD block 1 is not valid JSON") for p in _problems(crawl.first))


def test_valid_block_beside_a_malformed_one_is_still_read(crawl: Crawl) -> None:
    assert "Still readable" in _titles(crawl.first)


def test_wrong_charset_header_is_repaired(crawl: Crawl) -> None:
    assert "正看護師" in _titles(crawl.first)


def test_wrong_charset_repair_is_counted(crawl: Crawl) -> None:
    assert crawl.first.stats["scrapy_stats"].get("ippo/pages/charset_repaired") == 1


def test_revalidation_sends_if_none_match(crawl: Crawl) -> None:
    assert [h.if_none_match for h in crawl.state.hits if h.path == "/cached/job"] == [None, ETAG]


def test_revalidation_sends_if_modified_since(crawl: Crawl) -> None:
    assert [h.if_modified_since for h in crawl.state.hits if h.path == "/cached/job"][1] is not None


def test_304_counts_as_not_modified_on_the_wire(crawl: Crawl) -> None:
    assert crawl.second.stats["scrapy_stats"].get("ippo/wire/not_modified") == 1


def test_304_yields_the_cached_page(crawl: Crawl) -> None:
    assert _titles(crawl.second) == {"Senior DevOps Engineer"}


def test_304_costs_a_tiny_fraction_of_the_page(crawl: Crawl) -> None:
    first_page = len((PAGES / "indeed_job.html").read_bytes())
    robots_and_304 = crawl.second.stats["scrapy_stats"]["ippo/wire/bytes"]
    assert robots_and_304 < first_page * 0.01


def test_run_stats_recorded_in_the_ledger(crawl: Crawl) -> None:
    from crawlers.ledger import read_ledger

    assert read_ledger(crawl.home, "faults")["runs"][-1]["requests"] == crawl.first.requests
