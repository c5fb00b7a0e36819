"""`ippo crawl [SOURCE ...] [--url URL] [--all]`: run spiders; raw runs go to $IPPO_HOME/raw/<source>/.

Without names, only the enabled sources that are due run (see `ippo sources`): a source that
keeps failing is tried less and less often instead of every time. Named sources and ``--all``
run regardless of their schedule. Every source runs in its own process, so one failure never
stops the others; the command exits 1 if any source failed.
"""

from __future__ import annotations

import re
from typing import Annotated

import typer

from crawlers import ledger
from crawlers.sources import Source, SourcesError, load_sources
from ippo.config import Settings
from ippo.progress import Display
from ippo.steps import cli_settings, crawl_sources


def select_sources(settings: Settings, names: list[str], due_only: bool = False) -> list[Source]:
    """The sources to run: the named ones, else every enabled one (only those due, if asked)."""
    try:
        configured = load_sources(settings.sources)
    except SourcesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    unknown = [n for n in names if n not in configured]
    if unknown:
        typer.echo(
            f"error: no source named {', '.join(unknown)} in {settings.sources} "
            f"(known: {', '.join(configured) or 'none'})",
            err=True,
        )
        raise typer.Exit(2)
    chosen = [configured[n] for n in names] if names else [s for s in configured.values() if s.enabled]
    if not chosen:
        typer.echo(f"error: {settings.sources} has no enabled sources; add a [sources.<name>] table", err=True)
        raise typer.Exit(2)
    if due_only and not names:
        home = settings.home
        waiting = [s for s in chosen if not ledger.is_due(home, s.name)]
        for source in waiting:
            record = ledger.read_ledger(home, source.name)
            typer.echo(f"skipping {source.name}: next due {record.get('next_due')} (use --all to run it now)")
        chosen = [s for s in chosen if s not in waiting]
    return chosen


def adhoc_source(url: str) -> Source:
    if not re.match(r"^https?://", url):
        typer.echo(f"error: --url {url!r} is not an http(s) URL", err=True)
        raise typer.Exit(2)
    host = re.sub(r"[^a-z0-9]+", "-", url.split("//", 1)[1].split("/")[0].lower()).strip("-")
    return Source(name=f"adhoc-{host}"[:64], spider="jsonld", args={"urls": url})


def crawl(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources named in sources.toml (default: all enabled and due).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Try a site ad hoc: a sitemap or job page URL.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Run every enabled source, due or not.")] = False,
) -> None:
    """Crawl sources; each writes one raw run file, never the warehouse."""
    settings = cli_settings()
    chosen = [adhoc_source(url)] if url else select_sources(settings, sources or [], due_only=not all_)
    if not chosen:
        typer.echo("nothing is due; `ippo sources` shows when each source is next due")
        return
    with Display.for_command() as display:
        results = crawl_sources(settings, chosen, display.echo, display=display)
    if any(not r.ok for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
