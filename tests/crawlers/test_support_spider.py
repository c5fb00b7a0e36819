"""The support spiders: WAM NET files (zip or CSV, UTF-8 or Shift_JIS) and the Hello Work tables
become raw items; an end-to-end crawl of local copies of the real files loads and publishes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from scrapy import Request
from scrapy.http import Response
from typer.testing import CliRunner

from crawlers.run import run_crawl
from crawlers.sources import Source
from crawlers.spiders.base import SourceConfigError
from crawlers.spiders.support import WAM_URL_TEMPLATE, HelloWorkAreasSpider, SupportOfficesSpider
from ippo.cli import app
from pipeline.warehouse.publish import publish
from tests.conftest import shared_data
from tests.crawlers.mock_server import read_items
from tests.crawlers.responses import make_spider
from tests.crawlers.test_crawl_faults import FAST


def _response(url: str, body: bytes) -> Response:
    return Response(url=url, request=Request(url), body=body)


def test_the_wam_urls_are_built_from_the_period_and_codes(tmp_path: Path) -> None:
    spider = make_spider(SupportOfficesSpider, tmp_path, source="support", period="202503", codes="60,46")
    assert spider.urls == [WAM_URL_TEMPLATE.format(period="202503", code=c) for c in ("60", "46")]
    assert spider.urls[0] == ("https://www.wam.go.jp/content/files/pcpub/top/sfkopendata/202503/"
                              "sfkopendata_202503_60.zip")


def test_a_support_source_without_period_or_urls_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(SourceConfigError, match=r'period = "YYYYMM".*\[sources\.support\]'):
        make_spider(SupportOfficesSpider, tmp_path, source="support")
    with pytest.raises(SourceConfigError, match=r"zip5\.json"):
        make_spider(HelloWorkAreasSpider, tmp_path, source="hellowork-areas")


def test_a_shift_jis_zip_becomes_one_item_per_row_and_a_file_marker(tmp_path: Path) -> None:
    text = shared_data("wam_shuro_jigyosho/wam_2022_shuro_teichaku_shien.csv").read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sfkopendata_202503_62.csv", text.encode("cp932", errors="replace"))
    url = "https://www.wam.go.jp/content/files/pcpub/top/sfkopendata/202503/sfkopendata_202503_62.zip"
    spider = make_spider(SupportOfficesSpider, tmp_path, source="support", urls=url)
    items = list(spider.parse(_response(url, buffer.getvalue())))
    rows = [i for i in items if i["kind"] == "wam_office_row"]
    [marker] = [i for i in items if i["kind"] == "wam_office_file"]
    assert len(rows) == marker["payload"]["rows"] == 1234
    assert marker["payload"]["encoding"] == "cp932"
    assert rows[0]["payload"]["service_hint"] == "shuro_teichaku"
    assert rows[0]["payload"]["row"]["事業所番号"] == "110101912"  # as the source wrote it


def test_a_file_that_is_not_a_wam_table_is_a_problem(tmp_path: Path) -> None:
    spider = make_spider(SupportOfficesSpider, tmp_path, source="support", urls="https://example.org/x.csv")
    [item] = spider.parse(_response("https://example.org/x.csv", "名前,住所\nA,B\n".encode()))
    assert item["kind"] == "problem" and "lacks the WAM columns" in item["problem"]


def test_a_hello_work_table_is_one_item(tmp_path: Path) -> None:
    path = shared_data("hellowork_jurisdiction/hellowork_by_zip7_exceptions.json")
    spider = make_spider(HelloWorkAreasSpider, tmp_path, source="hw", urls=path.as_uri())
    [item] = spider.parse(_response(path.as_uri(), path.read_bytes()))
    assert item["kind"] == "hellowork_table" and "zip7" in item["payload"]["data"]


def test_the_shipped_support_sources_are_real_and_disabled() -> None:
    from crawlers.sources import load_sources
    from tests.conftest import ROOT

    sources = load_sources(ROOT / "sources.toml")
    assert sources["support"].spider == "support" and not sources["support"].enabled
    assert sources["support"].args["codes"] == "60,45,46,62"
    urls = sources["hellowork-areas"].args["urls"].split(",")
    assert [u.rsplit("/", 1)[-1] for u in urls] == ["zip5.json", "zip7.json"]
    assert all(u.startswith("https://cdn.jsdelivr.net/npm/jp-hello-work@") for u in urls)


def test_crawl_load_and_publish_local_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wam = shared_data("wam_shuro_jigyosho")
    jurisdiction = shared_data("hellowork_jurisdiction")
    home = tmp_path / "home"
    fast = {**FAST, "DOWNLOAD_MAXSIZE": 0}
    offices = Source(name="support", spider="support", args={"urls": ",".join(
        (wam / f).as_uri() for f in ("wam_2022_shuro_teichaku_shien.csv", "wam_2022_jiritsu_kunren_seikatsu.csv"))})
    areas = Source(name="hellowork-areas", spider="hellowork_areas", args={"urls": ",".join(
        (jurisdiction / f).as_uri()
        for f in ("hellowork_by_municipality_code.json", "hellowork_by_zip7_exceptions.json"))})
    crawled = [run_crawl(offices, home, extra_settings=fast), run_crawl(areas, home, extra_settings=fast)]
    assert all(r.ok for r in crawled), [r.error for r in crawled]
    assert len(read_items(crawled[0].raw_file)) == 1234 + 1280 + 2

    monkeypatch.setenv("IPPO_HOME", str(home))
    loaded = CliRunner().invoke(app, ["load", "--json"])
    assert loaded.exit_code == 0, loaded.output
    support = json.loads(loaded.stdout)["support"]
    assert support["rows"] == 1234 + 1280
    assert support["new"] == support["offices"] == 1232 + 1278  # 従たる事業所 served apart
    assert support["quarantined_by_reason"] == {"duplicate_office_row": 4}  # the same premises twice
    assert support["hellowork_tables"] == 2 and support["closed"] == 0

    snapshot = publish(home / "warehouse.duckdb", home / "serving").path
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        counts = con.execute("SELECT (SELECT count(*) FROM support_offices), (SELECT count(*) FROM hellowork_areas), "
                             "(SELECT count(*) FROM area_centroids WHERE level = 'prefecture')").fetchall()[0]
    finally:
        con.close()
    assert counts[0] == 1232 + 1278 and counts[1] > 3000 and counts[2] == 47
