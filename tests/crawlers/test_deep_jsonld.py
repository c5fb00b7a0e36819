"""A JSON-LD block nested absurdly deep (100,000 ``[``) is one invalid block, counted like any
other broken block; the page's other postings survive in extraction, the spider and `ippo extract`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from typer.testing import CliRunner

from crawlers.items import RawItem
from crawlers.spiders.jsonld import JsonLdSpider
from crawlers.structured import MAX_JSONLD_DEPTH, extract_from_html, parse_jsonld_block
from ippo.cli import app
from pipeline.warehouse.read_runs import process_line
from tests.crawlers.responses import make_spider

DEEP = "[" * 100_000


def _block(body: str) -> str:
    return f'<script type="application/ld+json">{body}</script>'


def _posting(title: str) -> str:
    return json.dumps({"@context": "https://schema.org", "@type": "JobPosting", "title": title,
                       "hiringOrganization": {"@type": "Organization", "name": "Example Care Co."},
                       "description": "Data entry, part-time."})


def _page() -> str:
    """A page whose second block is 100,000 brackets deep, between two good postings."""
    graph = json.dumps({"@graph": [json.loads(_posting("Kitchen assistant"))]})
    return (f'<html lang="en"><head>{_block(_posting("Data entry clerk"))}{_block(DEEP)}'
            f"{_block(graph)}</head><body></body></html>")


def test_the_deep_block_is_a_problem_and_the_other_postings_survive() -> None:
    result = extract_from_html(_page())
    assert [p["title"] for p in result.postings] == ["Data entry clerk", "Kitchen assistant"]
    assert result.problems == [f"JSON-LD block 2 is nested more than {MAX_JSONLD_DEPTH} levels deep; skipped"]


@pytest.mark.parametrize("body", [DEEP, DEEP + "]" * 100_000, "{" + '"a":{' * 5_000 + "}" * 5_001,
                                  "<!--\n" + DEEP + ",]\n-->"])
def test_too_deep_is_refused_whether_closed_or_not(body: str) -> None:
    result = extract_from_html(_block(body) + _block(_posting("Kept")))
    assert [p["title"] for p in result.postings] == ["Kept"]
    assert len(result.problems) == 1 and "levels deep" in result.problems[0]


def test_the_limit_itself_is_read_and_one_more_level_is_not() -> None:
    flat = '{"@type": "JobPosting", "title": "At the limit"}'  # one level: the object itself
    at_limit = "[" * (MAX_JSONLD_DEPTH - 1) + flat + "]" * (MAX_JSONLD_DEPTH - 1)
    assert extract_from_html(_block(at_limit)).postings[0]["title"] == "At the limit"
    beyond = "[" + at_limit + "]"
    refused = extract_from_html(_block(beyond))
    assert refused.postings == [] and "levels deep" in refused.problems[0]


def test_brackets_inside_strings_do_not_count() -> None:
    text = '{"@type": "JobPosting", "title": "Clerk", "description": "' + "[{" * 5_000 + '\\" ]]"}'
    assert parse_jsonld_block(text)["description"].startswith("[{[{")


def test_the_spider_counts_the_block_and_yields_the_other_postings(tmp_path: Path) -> None:
    url = "http://127.0.0.1:1/jobs/deep"
    spider = make_spider(JsonLdSpider, tmp_path, source="deep", urls=url)
    response = HtmlResponse(url=url, request=Request(url), body=_page().encode("utf-8"),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    items: list[RawItem] = list(spider.parse_page(response))  # type: ignore[attr-defined]
    assert [i["payload"]["title"] for i in items if i["kind"] == "jobposting"] == ["Data entry clerk",
                                                                                   "Kitchen assistant"]
    [problem] = [i["problem"] for i in items if i["kind"] == "problem"]
    assert "JSON-LD block 2 is nested more than" in problem
    stats = spider.crawler.stats  # type: ignore[attr-defined]
    assert stats.get_value("ippo/pages/jsonld_invalid") == 1
    assert stats.get_value("ippo/pages/with_jobposting") == 1


def test_ippo_extract_warns_and_prints_the_other_listings(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(_page(), encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(page), "--json"])
    assert result.exit_code == 0 and result.exception is None
    assert [listing["title"] for listing in json.loads(result.stdout)] == ["Data entry clerk", "Kitchen assistant"]
    assert f"{page}: JSON-LD block 2 is nested more than {MAX_JSONLD_DEPTH} levels deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_raw_line_too_deep_to_read_is_quarantined_not_fatal() -> None:
    line = b'{"kind": "jobposting", "payload": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert process_line(line, "deep", {}) == ("bad", "invalid_json_line", "not valid JSON (nested too deeply to read)")
