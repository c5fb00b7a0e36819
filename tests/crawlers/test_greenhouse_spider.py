"""The greenhouse spider on real Greenhouse Job Board API payloads (tests/fixtures/payloads)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from scrapy import Request

from crawlers.spiders.greenhouse import GreenhouseSpider
from crawlers.state import SeenState
from tests.crawlers.responses import PAYLOADS, file_response, make_spider, payload

BASE = "http://127.0.0.1:1/v1/boards"
HOME = Path(tempfile.mkdtemp(prefix="ippo-gh-"))

# First run: nothing seen before, so every listed job asks for its detail.
spider = make_spider(GreenhouseSpider, HOME, board="greenhouse", source="gh-greenhouse", base_url=BASE)
list_response = file_response(PAYLOADS / "greenhouse_board_greenhouse_list.json", f"{BASE}/greenhouse/jobs")
first_run = list(spider.parse_list(list_response))

# A detail response (the real SmarterDx job with content) for a job the list named.
listed = payload("greenhouse_smarterdx_jobs_content.json")["jobs"][0]
detail_spider = make_spider(GreenhouseSpider, HOME, board="smarterdx", source="gh-smarterdx", base_url=BASE)
detail_response = file_response(
    PAYLOADS / "greenhouse_smarterdx_jobs_content.json", f"{BASE}/smarterdx/jobs/{listed['id']}"
)
detail_response = detail_response.replace(body=json.dumps(listed).encode())
detail_items = list(
    detail_spider.parse_detail(detail_response, listed={k: v for k, v in listed.items() if k != "content"})
)

# Second run: the state says every job was seen with the same updated_at.
state = SeenState.for_source(HOME, "gh-seen")
for job in payload("greenhouse_board_greenhouse_list.json")["jobs"]:
    state.mark(str(job["id"]), str(job["updated_at"]))
state.save()
seen_spider = make_spider(GreenhouseSpider, HOME, board="greenhouse", source="gh-seen", base_url=BASE)
second_run = list(seen_spider.parse_list(list_response))


def test_first_run_requests_one_detail_per_listed_job() -> None:
    assert len([r for r in first_run if isinstance(r, Request)]) == 14


def test_detail_url_is_built_from_the_overridden_base() -> None:
    assert first_run[0].url == f"{BASE}/greenhouse/jobs/8021661"


def test_detail_item_kind() -> None:
    assert detail_items[0]["kind"] == "greenhouse_job"


def test_detail_item_keeps_the_content() -> None:
    assert "no more than 25 hours a week" in detail_items[0]["payload"]["content"]


def test_detail_item_keeps_list_fields() -> None:
    assert detail_items[0]["payload"]["updated_at"] == "2026-07-27T14:17:12-04:00"


def test_detail_item_marks_the_state() -> None:
    assert detail_spider.state_file.now == {"5193736007": "2026-07-27T14:17:12-04:00"}


def test_unchanged_jobs_fetch_no_detail() -> None:
    assert not any(isinstance(r, Request) for r in second_run)


def test_unchanged_jobs_are_still_written_as_seen() -> None:
    assert [i["detail_fetched"] for i in second_run] == [False] * 14


def test_unchanged_job_payload_is_the_list_entry() -> None:
    assert second_run[0]["payload"]["title"] == "Engineering Manager, Cloud Platform"


def test_unchanged_count_in_stats() -> None:
    assert seen_spider.crawler.stats.get_value("ippo/ats/unchanged") == 14
