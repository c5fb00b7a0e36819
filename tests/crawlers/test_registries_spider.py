"""The registries spider reading the real partial registry list (tests/fixtures/payloads)."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from crawlers.spiders.base import SourceConfigError
from crawlers.spiders.registries import RegistriesSpider
from pipeline.employers.records import load_registry_specs, read_registry_file
from tests.crawlers.responses import PAYLOADS, file_response, make_spider

HOME = Path(tempfile.mkdtemp(prefix="ippo-reg-"))
CSV = PAYLOADS / "inclusive_employer_mentions_partial.csv"


async def _collect(spider: RegistriesSpider) -> list[Any]:
    return [out async for out in spider.start()]


spider = make_spider(
    RegistriesSpider,
    HOME,
    source="mentions",
    registry="inclusive_mentions",
    files="inclusive_employer_mentions_partial.csv",
    sources_dir=str(PAYLOADS),
)
items = asyncio.run(_collect(spider))
records = [i for i in items if i["kind"] == "registry_record"]

# The same file served over HTTP with a layout written in sources.toml instead of named.
mapping = json.dumps(
    {
        "label": "UK Disability Confident",
        "tag": "disability_confident",
        "country": "GB",
        "fields": {"employer_name": "employer_name", "as_of": "as_of", "source_url": "source_url"},
    }
)
url_spider = make_spider(
    RegistriesSpider, HOME, source="dc", mapping=mapping, urls="http://127.0.0.1:1/registry/mentions.csv"
)
url_items = list(url_spider.parse(file_response(CSV, "http://127.0.0.1:1/registry/mentions.csv", "text/csv")))


def test_records_are_what_the_pipeline_reader_builds() -> None:
    expected, _ = read_registry_file(CSV, load_registry_specs()["inclusive_mentions"])
    assert [r["payload"] for r in records] == [dict(e) for e in expected]


def test_record_kind() -> None:
    assert records[0]["kind"] == "registry_record"


def test_fair_chance_founding_signatory() -> None:
    names = {r["payload"]["employer_name"] for r in records if r["payload"]["tag"] == "fair_chance_pledge"}
    assert "Google" in names


def test_monisu_records_are_japanese() -> None:
    assert {r["payload"]["country"] for r in records if r["payload"]["tag"] == "cert_monisu"} == {"JP"}


def test_rows_counted_in_stats() -> None:
    assert spider.crawler.stats.get_value("ippo/registry/rows") == 76


def test_inline_mapping_over_http_tags_every_row() -> None:
    assert {i["payload"]["tag"] for i in url_items} == {"disability_confident"}


def test_inline_mapping_keeps_the_fetched_url() -> None:
    assert url_items[0]["url"] == "http://127.0.0.1:1/registry/mentions.csv"


def test_unknown_registry_is_a_clear_error() -> None:
    with pytest.raises(SourceConfigError, match="unknown registry 'monisu'"):
        make_spider(RegistriesSpider, HOME, source="x", registry="monisu", files="a.csv")


def test_missing_file_is_a_problem_item_not_a_crash() -> None:
    broken = make_spider(RegistriesSpider, HOME, source="x", registry="inclusive_mentions", files="/nonexistent.csv")
    assert asyncio.run(_collect(broken))[0]["kind"] == "problem"
