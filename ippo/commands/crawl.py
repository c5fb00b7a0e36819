"""`ippo crawl [SOURCE ...] [--url URL]`: run spiders; raw runs go to $IPPO_HOME/raw/<source>/."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from crawlers.sources import Source, SourcesError, load_sources
from ippo import paths
from ippo.steps import crawl_sources


def select_sources(names: list[str]) -> list[Source]:
    try:
        configured = load_sources(paths.sources_file())
    except SourcesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    unknown = [n for n in names if n not in configured]
    if unknown:
        typer.echo(
            f"error: no source named {', '.join(unknown)} in {paths.sources_file()} "
            f"(known: {', '.join(configured) or 'none'})", err=True,
        )
        raise typer.Exit(2)
    chosen = [configured[n] for n in names] if names else [s for s in configured.values() if s.enabled]
    if not chosen:
        typer.echo(f"error: {paths.sources_file()} has no enabled sources; add a [sources.<name>] table", err=True)
        raise typer.Exit(2)
    return chosen


def adhoc_source(url: str) -> Source:
    if not re.match(r"^https?://", url):
        typer.echo(f"error: --url {url!r} is not an http(s) URL", err=True)
        raise typer.Exit(2)
    host = re.sub(r"[^a-z0-9]+", "-", url.split("//", 1)[1].split("/")[0].lower()).strip("-")
    return Source(name=f"adhoc-{host}"[:64], spider="jsonld", args={"urls": url})


def crawl(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources named in sources.toml (default: all enabled).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Try a site ad hoc: a sitemap or job page URL.")] = None,
) -> None:
    """Crawl sources; each writes one raw run file, never the warehouse."""
    chosen = [adhoc_source(url)] if url else select_sources(sources or [])
    results = crawl_sources(chosen, typer.echo)
    if any(not r.ok for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
