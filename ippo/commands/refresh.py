"""`ippo refresh [SOURCE ...]`: crawl, load and publish in one go."""

from __future__ import annotations

from typing import Annotated

import typer

from ippo.commands.crawl import select_sources
from ippo.progress import Display
from ippo.steps import cli_settings, crawl_sources, load_step, publish_step
from pipeline.errors import WarehouseBusyError


def refresh(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources named in sources.toml (default: all enabled).")
    ] = None,
) -> None:
    """Crawl the sources, load what they found and publish a new snapshot.

    A source that fails is reported and the others still go on to load and publish."""
    settings = cli_settings()
    chosen = select_sources(settings, sources or [])
    with Display.for_command() as display:
        display.echo(f"[1/3] crawl: {len(chosen)} source(s)")
        results = crawl_sources(settings, chosen, display.echo, display=display)
        try:
            display.echo("[2/3] load")
            load_step(settings, display.echo, display=display)
            display.echo("[3/3] publish")
            publish_step(settings, display.echo, display=display)
        except WarehouseBusyError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(3) from None
    if any(not r.ok for r in results):
        typer.echo(f"warning: {sum(not r.ok for r in results)} source(s) failed to crawl", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("refresh")(refresh)
