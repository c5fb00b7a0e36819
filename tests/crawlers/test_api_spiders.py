"""Lever, Ashby, USAJOBS and Remote OK spiders, each parsing its real saved API payload once."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from scrapy import Request

from crawlers.spiders.ashby import AshbySpider
from crawlers.spiders.base import SourceConfigError
from crawlers.spiders.lever import LeverSpider
from crawlers.spiders.remoteok import RemoteOkSpider
from crawlers.spiders.usajobs import UsajobsSpider
from tests.crawlers.responses import PAYLOADS, file_response, make_spider

HOME = Path(tempfile.mkdtemp(prefix="ippo-api-"))

lever = make_spider(
    LeverSpider, HOME, board="palantir", source="lever-palantir", base_url="http://127.0.0.1:1/v0/postings"
)
lever_items = list(
    lever.parse(
        file_response(PAYLOADS / "lever_palantir_postings.json", "http://127.0.0.1:1/v0/postings/palantir?mode=json")
    )
)

ashby = make_spider(AshbySpider, HOME, board="openevidence", source="ashby-oe")
ashby_items = list(
    ashby.parse(
        file_response(
            PAYLOADS / "ashby_openevidence_job_board.json", "https://api.ashbyhq.com/posting-api/job-board/openevidence"
        )
    )
)

remoteok = make_spider(RemoteOkSpider, HOME, source="remoteok")
remoteok_items = list(
    remoteok.parse(file_response(PAYLOADS / "remoteok_api_2026-03-16_first12.json", "https://remoteok.com/api"))
)


def _usajobs(**kwargs: str) -> UsajobsSpider:
    return make_spider(UsajobsSpider, HOME, source="usajobs", **kwargs)  # type: ignore[return-value]


usajobs = _usajobs(hiring_path="disability", remote="true", base_url="http://127.0.0.1:1/api/search",
                   api_key="test-key", email="ops@example.org")
usajobs_out = list(
    usajobs.parse(file_response(PAYLOADS / "usajobs_search_2022.json", "http://127.0.0.1:1/api/search?Page=1"))
)
usajobs_items = [o for o in usajobs_out if isinstance(o, dict)]
usajobs_requests = [o for o in usajobs_out if isinstance(o, Request)]


def test_lever_one_item_per_posting() -> None:
    assert len(lever_items) == 2


def test_lever_item_kind() -> None:
    assert lever_items[0]["kind"] == "lever_posting"


def test_lever_payload_title() -> None:
    assert lever_items[0]["payload"]["text"] == "Administrative Business Partner"


def test_lever_item_names_the_board() -> None:
    assert lever_items[0]["board"] == "palantir"


def test_lever_new_postings_counted() -> None:
    assert lever.crawler.stats.get_value("ippo/ats/new") == 2


def test_ashby_payload_workplace_type() -> None:
    assert ashby_items[0]["payload"]["workplaceType"] == "OnSite"


def test_ashby_item_count() -> None:
    assert len(ashby_items) == 2


def test_ashby_default_base_url() -> None:
    assert ashby.base_url == "https://api.ashbyhq.com/posting-api/job-board"


def test_remoteok_skips_legal_notice_and_blank_job() -> None:
    assert len(remoteok_items) == 11


def test_remoteok_blank_entry_counted() -> None:
    assert remoteok.crawler.stats.get_value("ippo/remoteok/blank_skipped") == 1


def test_remoteok_every_item_links_back() -> None:
    assert all(i["attribution"]["url"].startswith("https://remoteOK.com/remote-jobs/") for i in remoteok_items)


def test_remoteok_attribution_names_remote_ok() -> None:
    assert remoteok_items[0]["attribution"]["name"] == "Remote OK"


def test_usajobs_items_per_result() -> None:
    assert [i["payload"]["MatchedObjectId"] for i in usajobs_items] == ["645184400", "645856400"]


def test_usajobs_follows_the_next_page() -> None:
    assert "Page=2" in usajobs_requests[0].url


def test_usajobs_keeps_hiring_path_as_sent() -> None:
    details = usajobs_items[1]["payload"]["MatchedObjectDescriptor"]["UserArea"]["Details"]
    assert details["HiringPath"] == ["fed-transition", "fed-competitive", "vet"]


def test_usajobs_query_asks_for_disability_hiring_path_and_remote() -> None:
    url = usajobs.page_request(1).url
    assert "HiringPath=disability" in url and "RemoteIndicator=True" in url


def test_usajobs_sends_key_and_email() -> None:
    headers = usajobs.page_request(1).headers
    assert (headers[b"Authorization-Key"], headers[b"User-Agent"]) == (b"test-key", b"ops@example.org")


def test_usajobs_without_key_is_a_clear_error() -> None:
    with pytest.raises(SourceConfigError, match="USAJOBS_API_KEY is not set"):
        _usajobs(api_key="", email="ops@example.org")


def test_usajobs_without_email_names_the_variable() -> None:
    with pytest.raises(SourceConfigError, match="USAJOBS_EMAIL must be the e-mail address"):
        _usajobs(api_key="test-key", email="")
