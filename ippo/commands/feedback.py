"""`ippo feedback PROFILE_ID LISTING_ID saved|dismissed|applied`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ippo.commands.profiles import open_store
from ippo.steps import cli_settings
from pipeline.warehouse.pointer import current_snapshot
from ranker.serving_index import ServingIndex
from ranker.users.store import ProfileNotFoundError
from ranker.users.stored import ListingNotFoundError, record_feedback


class Action(StrEnum):
    saved = "saved"
    dismissed = "dismissed"
    applied = "applied"


def feedback(
    profile_id: Annotated[str, typer.Argument(help="Stored profile id (ippo profiles list).")],
    listing_id: Annotated[str, typer.Argument(help="Listing id, as shown by ippo recommend --json.")],
    action: Annotated[Action, typer.Argument(help="saved, dismissed or applied.")],
) -> None:
    """Record feedback: dismissed listings never come back; saved/applied raise similar ones."""
    settings = cli_settings()
    snapshot = current_snapshot(settings.serving_dir)
    if snapshot is None:
        typer.echo("error: no published snapshot yet; run `ippo refresh` (or `ippo demo`) first", err=True)
        raise typer.Exit(2)
    index = ServingIndex.from_snapshot(snapshot)
    with open_store(settings) as store:
        try:
            record = record_feedback(index, store, profile_id, listing_id, action.value)
        except (ProfileNotFoundError, ListingNotFoundError) as exc:
            typer.echo(f"error: {exc!s}", err=True)
            raise typer.Exit(2) from None
    typer.echo(f"recorded {action.value} for listing {listing_id} ({record['id']})")


def register(app: typer.Typer) -> None:
    app.command("feedback")(feedback)
