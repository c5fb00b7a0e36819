"""`ippo publish`: build the serving snapshot (with embeddings) and swap it in atomically."""

from __future__ import annotations

import typer

from ippo.progress import Display
from ippo.steps import cli_settings, publish_step, warehouse_exists
from pipeline.errors import WarehouseBusyError


def publish() -> None:
    """Publish a read-only snapshot of the warehouse for the API and notebooks.

    On a terminal the copy, the embeddings and the ranking index show progress bars (on stderr)."""
    settings = cli_settings()
    if not warehouse_exists(settings):
        typer.echo("error: there is no warehouse yet; run `ippo crawl` and `ippo load` first", err=True)
        raise typer.Exit(2)
    try:
        with Display.for_command() as display:
            publish_step(settings, display.echo, display=display)
    except WarehouseBusyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3) from None


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
