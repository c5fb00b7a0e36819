"""`registries`: supportive-employer registries (awards, certifications, pledges) from CSV/XLSX.

    [sources.gbizinfo-awards]
    spider = "registries"
    registry = "gbizinfo_awards"   # a layout of pipeline/vocab/registries.toml
    files = ["registries/gbizinfo_certifications_flat.csv"]   # relative to sources.toml
    [sources.monisu]
    spider = "registries"
    urls = ["https://example.go.jp/monisu.xlsx"]   # or files = ["registries/monisu.csv"]
    [sources.monisu.mapping]       # a layout written here instead of naming one
    label = "もにす認定"
    tag = "cert_monisu"
    country = "JP"
    format = "xlsx"
    fields = { employer_name = "事業主名", address = "所在地", as_of = "認定日" }

These write employer records (kind "registry_record"), not listings: each item's payload is
one record exactly as pipeline/employers/records.py builds it (the same pure conversion the
pipeline uses for files), so a registry read here and one read from disk are the same data.
Rows that are not records (no employer name, no matching rule) are counted in the stats.
Every source names its files or urls: nothing is read from a default place.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from crawlers.items import RawItem
from crawlers.spiders.base import SourceConfigError, utc_now_iso
from pipeline.employers.records import (
    ReadReport,
    RegistryConfigError,
    RegistryFileError,
    RegistryRecord,
    RegistrySpec,
    load_registry_specs,
    read_registry_file,
    spec_from_mapping,
)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class RegistriesSpider(scrapy.Spider):
    name = "registries"

    def __init__(
        self,
        source: str | None = None,
        registry: str | None = None,
        mapping: str | None = None,
        files: str | None = None,
        urls: str | None = None,
        sources_dir: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source = source or self.name
        self.spec = self._spec(registry, mapping)
        base = Path(sources_dir) if sources_dir else Path.cwd()
        self.files = [p if p.is_absolute() else (base / p) for p in map(Path, _split(files))]
        self.urls = _split(urls)
        for url in self.urls:
            if urlparse(url).scheme not in ("http", "https"):
                raise SourceConfigError(
                    f"source {self.source!r}: {url!r} is not an http(s) URL (use files = [...])"
                )
        if not self.files and not self.urls:
            raise SourceConfigError(
                f"source {self.source!r}: no registry file to read; add files = [\"path/to/export.csv\"] "
                f"(relative to sources.toml) or urls = [\"https://...\"] to [sources.{self.source}]"
            )

    def _spec(self, registry: str | None, mapping: str | None) -> RegistrySpec:
        try:
            if mapping:
                try:
                    table = json.loads(mapping)
                except ValueError as exc:
                    raise SourceConfigError(
                        f"source {self.source!r}: mapping is not a table ({exc})"
                    ) from None
                return spec_from_mapping(registry or self.source, table)
            if not registry:
                raise SourceConfigError(
                    f'source {self.source!r}: name a layout (registry = "gbizinfo_awards") '
                    "or give a [mapping] table"
                )
            specs = load_registry_specs()
            if registry not in specs:
                raise SourceConfigError(
                    f"source {self.source!r}: unknown registry {registry!r}; "
                    f"known: {', '.join(sorted(specs))}"
                )
            return specs[registry]
        except RegistryConfigError as exc:
            raise SourceConfigError(f"source {self.source!r}: {exc}") from None

    async def start(self) -> AsyncIterator[Any]:
        for path in self.files:
            for item in self._read(path, path.resolve().as_uri()):
                yield item
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawItem]:
        suffix = Path(urlparse(response.url).path).suffix.lower()
        if suffix not in (".csv", ".xlsx", ".tsv"):
            suffix = f".{self.spec.format}"
        handle, name = tempfile.mkstemp(suffix=suffix, prefix="ippo-registry-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(response.body)
            yield from self._read(Path(name), response.url)
        finally:
            os.unlink(name)

    def on_error(self, failure: Any) -> Iterator[RawItem]:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else ""
        yield self._problem(url, f"could not fetch registry {url}: {failure.getErrorMessage()}")

    def _problem(self, url: str, message: str) -> RawItem:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("ippo/problems")
        return RawItem(kind="problem", source=self.source, url=url, fetched_at=utc_now_iso(), problem=message)

    def _read(self, path: Path, url: str) -> Iterator[RawItem]:
        try:
            records, report = read_registry_file(path, self.spec)
        except (RegistryFileError, OSError) as exc:
            yield self._problem(url, f"registry {self.spec.id!r}: {exc}")
            return
        self._count(report)
        fetched_at = utc_now_iso()
        for record in records:
            yield self._item(record, url, fetched_at)
        for row, reason in report.rejected:
            yield self._problem(url, f"registry {self.spec.id!r} row {row}: {reason}")

    def _count(self, report: ReadReport) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("ippo/registry/rows", report.rows)
        stats.inc_value("ippo/registry/records", report.records)
        stats.inc_value("ippo/registry/ignored_rows", sum(report.ignored.values()))
        stats.inc_value("ippo/registry/rejected_rows", len(report.rejected))
        stats.inc_value("ippo/registry/bad_corporate_numbers", report.bad_corporate_numbers)

    def _item(self, record: RegistryRecord, url: str, fetched_at: str) -> RawItem:
        return RawItem(
            kind="registry_record", source=self.source, url=url, fetched_at=fetched_at, payload=dict(record)
        )
