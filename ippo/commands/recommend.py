"""`ippo recommend --profile FILE [-k N] --json`: ranked listings with reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ippo import paths
from pipeline.publish import current_snapshot
from ranker.embedding import Embedder
from ranker.present import page_to_dict, page_to_text
from ranker.profile import ProfileError, load_profile
from ranker.recommend import recommend as rank
from ranker.serving_index import ServingIndex


def recommend(
    profile: Annotated[Path, typer.Option("--profile", help="An aptitude profile (JSON file).")],
    k: Annotated[int, typer.Option("-k", min=1, max=200, help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recommend open listings from the published snapshot for a profile."""
    try:
        person = load_profile(profile)
    except ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    snapshot = current_snapshot(paths.serving_dir())
    if snapshot is None:
        typer.echo("error: no published snapshot yet; run `ippo refresh` (or `ippo demo`) first", err=True)
        raise typer.Exit(2)
    index = ServingIndex.from_snapshot(snapshot)
    page = rank(index, person, k=k, embedder=Embedder())
    typer.echo(json.dumps(page_to_dict(page), ensure_ascii=False, indent=2) if as_json else page_to_text(page))


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend)
