"""`ippo bench recommend`: recommendation latency and memory on GENERATED listings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Benchmarks that print figures (generated data, clearly labelled).", no_args_is_help=True)


@app.command("recommend")
def bench_recommend(
    listings: Annotated[int, typer.Option("--listings", min=100, help="How many generated listings.")] = 100_000,
    queries: Annotated[int, typer.Option("--queries", min=10, help="Requests timed for stored profiles.")] = 200,
    home: Annotated[Path | None, typer.Option(help="Folder for the generated snapshot (default: a temp dir).")]
    = None,
    reuse: Annotated[bool, typer.Option("--reuse", help="Reuse a generated snapshot already in --home.")] = False,
) -> None:
    """p50/p95 latency and peak memory of one recommendation (stored and ad hoc profile)."""
    from benchmarks.recommend_latency import run
    from benchmarks.synthetic import SharedDataMissingError

    try:
        run(count=listings, queries=queries, home=home, say=typer.echo, reuse=reuse)
    except SharedDataMissingError as exc:
        typer.echo(f"skipped: {exc}", err=True)
        raise typer.Exit(0) from None


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="bench")
