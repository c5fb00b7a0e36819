"""The steps of a refresh (crawl -> load -> publish), shared by the commands that run them,
and the settings every command reads once and passes down.

Each step reports lines through ``echo`` and, when the command opened one, its progress
through a ``Display`` (ippo/progress.py): the pipeline's stage listener and each crawl's
figures as the crawl runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import typer

from ippo.config import Settings, SettingsError, env_name
from ippo.progress import Display

# Each step imports what it runs when it runs: every CLI command imports this module, and
# Scrapy, scikit-learn and torch together cost seconds of start-up a reload does not need.
if TYPE_CHECKING:
    from crawlers.crawl_progress import CrawlProgress
    from crawlers.run import CrawlResult
    from crawlers.sources import Source
    from pipeline.embedding import Embedder
    from pipeline.employers.records import RegistryRecord
    from pipeline.warehouse.load import LoadReport
    from pipeline.warehouse.publish import PublishResult

Echo = Callable[[str], None]


def cli_settings() -> Settings:
    """The settings of this command, read once; a refused value ends the command with exit 2
    and a message naming the variable (or ippo.toml key) and what to do."""
    try:
        return Settings()
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _crawl_watcher(display: Display, source: str) -> Callable[[CrawlProgress], None]:
    def show(now: CrawlProgress) -> None:
        display.crawl(source, now.items, now.requests, now.errors, now.elapsed_s)

    return show


def crawl_sources(
    settings: Settings, sources: list[Source], echo: Echo, extra_settings: dict | None = None,
    display: Display | None = None,
) -> list[CrawlResult]:
    from crawlers.run import run_crawl

    watching = display is not None and display.enabled
    results = []
    if not settings.contact_url:
        echo(f"warning: {env_name('contact_url')} is not set; set it so site owners can reach you "
             "(it goes in the User-Agent)")
    for source in sources:
        echo(f"crawling {source.name} ({source.spider}) ...")
        on_progress = _crawl_watcher(display, source.name) if display is not None and watching else None
        result = run_crawl(source, settings.home, extra_settings=extra_settings, on_progress=on_progress)
        if display is not None:
            display.crawl_done(source.name)
        stats = result.stats.get("scrapy_stats", {})
        if result.ok:
            echo(
                f"  {source.name}: {result.stats.get('items_written', 0)} items, "
                f"{stats.get('downloader/request_count', 0)} requests, "
                f"{stats.get('ippo/pages/jsonld_invalid', 0)} invalid JSON-LD blocks, "
                f"{result.stats.get('duration_s', 0):.1f}s -> {result.raw_file}"
            )
        else:
            reason = result.error or f"exit {result.returncode}"
            echo(f"  {source.name}: crawl FAILED ({reason}); see {result.log_file}")
        for recovered in result.recovered:
            echo(
                f"  {source.name}: finalized {recovered.raw_file.name} left by a killed run "
                f"({recovered.lines_kept} items kept, {recovered.truncated_lines_dropped} cut-off line dropped)"
            )
        results.append(result)
    return results


def load_step(
    settings: Settings, echo: Echo, registry_records: Sequence[tuple[RegistryRecord, str]] = (),
    display: Display | None = None,
) -> LoadReport:
    from pipeline.progress import no_progress
    from pipeline.warehouse.load import load

    report = load(
        settings.warehouse_path,
        settings.raw_dir,
        close_unseen_after_days=settings.close_unseen_after_days,
        workers=settings.load_workers,
        occupations=settings.load_occupations,
        dense_view=settings.dense_view,
        registry_records=registry_records,
        progress=display.stage if display is not None else no_progress,
    )
    totals = report.totals()
    echo(
        f"loaded {totals['runs']} raw run(s): {totals['items']} items -> {totals['new']} new, "
        f"{totals['changed']} changed, {totals['unchanged']} unchanged, {totals['quarantined']} quarantined; "
        f"{report.closed['expired']} closed as expired, {report.closed['unseen']} closed as unseen"
    )
    echo(
        f"  registry: {totals['registry_records']} record item(s), {totals['registry_changed']} rows new or changed, "
        f"{totals['retagged']} open listing(s) re-tagged; occupations: {totals['occupations']} classified; "
        f"cross-source duplicates open: {totals['duplicates']}"
    )
    support = report.support
    if support.rows or support.closed or support.hellowork_tables:
        echo(
            f"  support: {support.rows} office row(s) -> {support.offices} offices: {support.new} new, "
            f"{support.changed} changed, {support.reopened} reopened, {support.unchanged} unchanged, "
            f"{sum(support.quarantined.values())} quarantined, {support.closed} closed as absent; "
            f"Hello Work: {support.hellowork_tables} table(s), {support.hellowork_areas} areas"
        )
    rows = report.quality_table()
    if rows:
        echo("data quality (quarantined items by source and reason):")
        for source, reason, count in rows:
            echo(f"  {source:<24} {reason:<28} {count}")
    return report


def publish_step(
    settings: Settings, echo: Echo, embedder: Embedder | None = None, display: Display | None = None
) -> PublishResult:
    from pipeline.embedding import Embedder
    from pipeline.progress import no_progress
    from pipeline.warehouse.publish import publish
    from ranker.listing_vectors import EmbeddingCache, add_embeddings_enricher
    from ranker.serving_index import ServingIndex

    embedder = embedder or Embedder(settings.embedding_model, backend=settings.embedding_backend,
                                    cache_dir=settings.cache_dir)
    cache = EmbeddingCache(settings.embeddings_cache_path, embedder)
    progress = display.stage if display is not None else no_progress
    result = publish(settings.warehouse_path, settings.serving_dir,
                     enrichers=[add_embeddings_enricher(cache, progress)], progress=progress)
    echo(
        f"published snapshot {result.version}: {result.listings} listings ({result.open_listings} open), "
        f"{result.extra.get('embedded_now', 0)} embedded now with {result.extra.get('embedding_model')}"
    )
    if result.stale_builds.removed or result.stale_builds.skipped:
        echo(result.stale_builds.summary())
    # Build the ranker's per-snapshot cache (lexical index, feature arrays) now, in the refresh,
    # so the API's first load of this version reads it instead of fitting it.
    started = time.monotonic()
    progress("ranking_index", 0, result.listings)
    ServingIndex.from_snapshot(result.path)
    progress("ranking_index", result.listings, result.listings)
    echo(f"prepared the ranking index of {result.version} in {time.monotonic() - started:.1f}s")
    return result


def warehouse_exists(settings: Settings) -> bool:
    return settings.warehouse_path.exists()
