"""`ippo profiles add|list|show|export|delete`: stored profiles in $IPPO_HOME/users.duckdb.

The store is encrypted (see docs/privacy.md). While the API runs it is the store's only
writer; these commands then say so and point to the API instead of failing with a lock error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ippo.config import Settings
from ippo.steps import cli_settings
from pipeline.embedding import Embedder, ModelNotAvailableError
from ranker.profile import ProfileError, load_profile
from ranker.users.key import UserKeyError
from ranker.users.store import ProfileNotFoundError, UserStore, UserStoreBusyError
from ranker.users.stored import store_profile

app = typer.Typer(help="Stored profiles: add, list, show, export, delete.", no_args_is_help=True)


def open_store(settings: Settings | None = None) -> UserStore:
    """The user store of the settings (read now when not given), or exit 2 with the reason."""
    settings = settings or cli_settings()
    try:
        return UserStore.open(settings.home, settings.user_key_value())
    except (UserStoreBusyError, UserKeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="An aptitude profile (JSON file).")],
    no_embedding: Annotated[bool, typer.Option("--no-embedding", help="Do not compute the query embedding now.")]
    = False,
) -> None:
    """Store a profile (encrypted) and print its id."""
    try:
        profile = load_profile(file)
    except ProfileError as exc:
        raise _fail(str(exc)) from None
    settings = cli_settings()
    embedder = None if no_embedding else Embedder(settings.embedding_model)
    with open_store(settings) as store:
        try:
            profile_id = store_profile(store, profile, embedder)
        except ModelNotAvailableError as exc:
            raise _fail(str(exc), 1) from None
    typer.echo(profile_id)


@app.command("list")
def list_profiles(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Stored profile ids (contents are not decrypted)."""
    with open_store() as store:
        items = store.list_profiles()
    if as_json:
        typer.echo(json.dumps(items, indent=2))
        return
    if not items:
        typer.echo("no stored profiles")
    for item in items:
        typer.echo(f"{item['id']}  created {item['created_at']}  feedback {item['feedback']}"
                   f"  embedding {'cached' if item['embedding_cached'] else 'not cached'}")


@app.command("show")
def show(profile_id: Annotated[str, typer.Argument(help="Profile id.")]) -> None:
    """Print a stored profile (decrypted)."""
    with open_store() as store:
        try:
            stored = store.get(profile_id)
        except (ProfileNotFoundError, UserKeyError) as exc:
            raise _fail(str(exc)) from None
    typer.echo(json.dumps(json.loads(stored.profile.model_dump_json()), ensure_ascii=False, indent=2))


@app.command("export")
def export(profile_id: Annotated[str, typer.Argument(help="Profile id.")]) -> None:
    """Everything stored about a profile, as JSON: profile, cached embedding, feedback."""
    with open_store() as store:
        try:
            data = store.export(profile_id)
        except (ProfileNotFoundError, UserKeyError) as exc:
            raise _fail(str(exc)) from None
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("delete")
def delete(profile_id: Annotated[str, typer.Argument(help="Profile id.")]) -> None:
    """Erase a profile, its feedback and its cached embedding."""
    with open_store() as store:
        try:
            erased = store.delete(profile_id)
        except ProfileNotFoundError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"erased profile {profile_id}: {erased['profiles']} profile, {erased['feedback']} feedback record(s)")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="profiles")
