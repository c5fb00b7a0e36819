"""`ippo recommend --profile FILE | --id PROFILE_ID [-k N] --json`: ranked listings with reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ippo.steps import cli_settings
from pipeline.embedding import Embedder
from pipeline.warehouse.pointer import current_snapshot
from ranker.present import page_to_dict, page_to_text
from ranker.profile import ProfileError, load_profile
from ranker.recommend import recommend as rank
from ranker.serving_index import ServingIndex
from ranker.users.key import UserKeyError
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import recommend_stored


def recommend(
    profile: Annotated[Path | None, typer.Option("--profile", help="An aptitude profile (JSON file).")] = None,
    profile_id: Annotated[str | None, typer.Option("--id", help="A stored profile id (ippo profiles add).")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=200, help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recommend open listings from the published snapshot for a profile file or a stored profile."""
    if (profile is None) == (profile_id is None):
        typer.echo("error: give exactly one of --profile FILE or --id PROFILE_ID", err=True)
        raise typer.Exit(2)
    person = None
    if profile is not None:
        try:
            person = load_profile(profile)
        except ProfileError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
    settings = cli_settings()
    snapshot = current_snapshot(settings.serving_dir)
    if snapshot is None:
        typer.echo("error: no published snapshot yet; run `ippo refresh` (or `ippo demo`) first", err=True)
        raise typer.Exit(2)
    index = ServingIndex.from_snapshot(snapshot)
    if person is not None:
        page = rank(index, person, k=k, embedder=Embedder(settings.embedding_model, threads=1))
    else:
        from ippo.commands.profiles import open_store

        assert profile_id is not None
        with open_store(settings) as store:
            try:
                page = recommend_stored(index, store, profile_id, Embedder(settings.embedding_model, threads=1), k=k)
            except (ProfileNotFoundError, UserKeyError) as exc:
                typer.echo(f"error: {exc!s}", err=True)
                raise typer.Exit(2) from None
    typer.echo(json.dumps(page_to_dict(page), ensure_ascii=False, indent=2) if as_json else page_to_text(page))


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend)
