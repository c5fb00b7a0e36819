"""Support services: WAM NET's open data of employment-support offices, and the Hello Work
jurisdiction tables of the jp-hello-work package.

    [sources.support]
    spider = "support"
    period = "202503"            # the YYYYMM of WAM's release
    codes = ["60", "45", "46", "62"]   # 就労移行, 就労継続A型, B型, 就労定着
    # url_template = "https://www.wam.go.jp/content/files/pcpub/top/sfkopendata/{period}/sfkopendata_{period}_{code}.zip"
    # or urls = ["https://.../sfkopendata_202503_60.zip", "file:///srv/mirror/shuro.csv"]

    [sources.hellowork-areas]
    spider = "hellowork_areas"
    urls = ["https://cdn.jsdelivr.net/npm/jp-hello-work@<version>/data/zip5.json", ".../zip7.json"]

Like the registries spider, these turn each downloaded file into raw items and leave the
meaning to the pipeline: one ``wam_office_row`` item per CSV row (the row as WAM wrote it),
then one ``wam_office_file`` item saying the file was read whole (the loader closes offices
only after such a full refresh), or one ``hellowork_table`` item per table. A zip of CSVs or a
bare CSV, in UTF-8 or Shift_JIS, are both read (pipeline/support/read.py). A file that cannot
be read becomes a problem item, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from crawlers.items import RawItem
from crawlers.spiders.base import SourceConfigError, utc_now_iso
from pipeline.support.kinds import (
    HELLOWORK_TABLE,
    OFFICE_FILE,
    OFFICE_ROW,
    hellowork_payload,
    office_file_payload,
    office_row_payload,
)
from pipeline.support.offices import REQUIRED_COLUMNS
from pipeline.support.read import SupportFileError, csv_tables
from pipeline.support.service_types import WAM_FILE_CODES, service_type_of_file

WAM_URL_TEMPLATE = (
    "https://www.wam.go.jp/content/files/pcpub/top/sfkopendata/{period}/sfkopendata_{period}_{code}.zip"
)
_SCHEMES = ("http", "https", "file")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class _FileSpider(scrapy.Spider):
    """Fetch a list of URLs, each a whole file; a failure becomes a problem item."""

    def __init__(self, source: str | None = None, urls: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source or self.name
        self.urls = _split(urls)

    def _check_urls(self) -> None:
        for url in self.urls:
            if urlparse(url).scheme not in _SCHEMES:
                raise SourceConfigError(f"source {self.source!r}: {url!r} is not an http(s) or file:// URL")

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error, dont_filter=True)

    def on_error(self, failure: Any) -> Iterator[RawItem]:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else ""
        yield self.problem(url, f"could not fetch {url}: {failure.getErrorMessage()}")

    def problem(self, url: str, message: str) -> RawItem:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("ippo/problems")
        return RawItem(kind="problem", source=self.source, url=url, fetched_at=utc_now_iso(), problem=message)

    def item(self, kind: str, url: str, payload: dict[str, Any], fetched_at: str) -> RawItem:
        return RawItem(kind=kind, source=self.source, url=url, fetched_at=fetched_at, payload=payload)


class SupportOfficesSpider(_FileSpider):
    name = "support"

    def __init__(self, period: str | None = None, codes: str | None = None, url_template: str | None = None,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.urls:
            self.urls = self._wam_urls(period, _split(codes) or list(WAM_FILE_CODES), url_template or WAM_URL_TEMPLATE)
        self._check_urls()

    def _wam_urls(self, period: str | None, codes: list[str], template: str) -> list[str]:
        if not period or not (period.isdigit() and len(period) == 6):
            raise SourceConfigError(
                f'source {self.source!r}: give period = "YYYYMM" (the month of the WAM release, e.g. "202503") '
                f'or urls = ["https://..."] in [sources.{self.source}]'
            )
        return [template.format(period=period, code=code) for code in codes]

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawItem]:
        if response.status >= 400:
            yield self.problem(response.url, f"HTTP {response.status} from {response.url}")
            return
        try:
            tables = csv_tables(response.body, response.url)
        except SupportFileError as exc:
            yield self.problem(response.url, str(exc))
            return
        hint = service_type_of_file(response.url)
        stats = self.crawler.stats
        assert stats is not None
        fetched_at = utc_now_iso()
        for table in tables:
            missing = [c for c in REQUIRED_COLUMNS if c not in table.header]
            if missing:
                yield self.problem(response.url, f"{table.name} lacks the WAM columns {missing} "
                                                 f"(found: {table.header[:8]}...); is it a WAM 障害福祉サービス file?")
                continue
            for number, row in enumerate(table.rows, start=1):
                yield self.item(OFFICE_ROW, response.url, office_row_payload(table.name, hint, number, row), fetched_at)
            stats.inc_value("ippo/support/rows", len(table.rows))
            stats.inc_value("ippo/support/files")
            yield self.item(OFFICE_FILE, response.url,
                            office_file_payload(table.name, hint, len(table.rows), table.encoding), fetched_at)


class HelloWorkAreasSpider(_FileSpider):
    name = "hellowork_areas"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.urls:
            raise SourceConfigError(
                f'source {self.source!r}: give urls = [".../data/zip5.json", ".../data/zip7.json"] '
                f"(the jp-hello-work package's tables) in [sources.{self.source}]"
            )
        self._check_urls()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawItem]:
        if response.status >= 400:
            yield self.problem(response.url, f"HTTP {response.status} from {response.url}")
            return
        try:
            data = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            yield self.problem(response.url, f"{response.url} is not JSON ({exc})")
            return
        yield self.item(HELLOWORK_TABLE, response.url, hellowork_payload(response.url, data), utc_now_iso())
