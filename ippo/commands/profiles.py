"""`ippo profiles add|list|show|export|delete|rotate-key`: stored profiles in $IPPO_HOME/users.duckdb.

The store is encrypted (see docs/privacy.md): each profile with its own data key, wrapped by the
master key kept outside $IPPO_HOME. While the API runs it is the store's only writer; these
commands then say so and point to the API instead of failing with a lock error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.fernet import Fernet

from ippo.config import Settings
from ippo.steps import cli_settings
from pipeline.embedding import Embedder, ModelNotAvailableError
from ranker.profile import ProfileError, load_profile
from ranker.users.key import MasterKey, UserKeyError, read_key_file, write_key_file
from ranker.users.store import ProfileNotFoundError, UserStore, UserStoreBusyError
from ranker.users.stored import store_profile

app = typer.Typer(help="Stored profiles: add, list, show, export, delete.", no_args_is_help=True)


def open_store(settings: Settings | None = None) -> UserStore:
    """The user store of the settings (read now when not given), or exit 2 with the reason."""
    settings = settings or cli_settings()
    try:
        store = UserStore.from_settings(settings)
    except (UserStoreBusyError, UserKeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if store.master_keys.warning:
        typer.echo(f"warning: {store.master_keys.warning}", err=True)
    return store


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


@app.command("rotate-key")
def rotate_key() -> None:
    """Re-wrap every profile's data key under a new master key.

    With a key file: a new key is made in its place (for a key file inside IPPO_HOME: at the
    master_key_file setting, default ~/.config/ippo/master.key) and the old key is kept beside it as
    master.key.<id>.old. With IPPO_MASTER_KEY: put the new key there and the old one in
    IPPO_MASTER_KEY_PREVIOUS, then run this.
    """
    settings = cli_settings()
    with open_store(settings) as store:
        keys = store.master_keys
        if keys.file is None:
            if not keys.previous:
                raise _fail("the master key comes from IPPO_MASTER_KEY: set it to the new key and "
                            "IPPO_MASTER_KEY_PREVIOUS to the old one, then run this again")
            report = store.rotate_master_key(keys.current)
            typer.echo(_rotated(report) + "; IPPO_MASTER_KEY_PREVIOUS can now be unset")
            return
        try:
            _rotate_key_file(store, keys.file, settings.master_key_path)
        except UserKeyError as exc:
            raise _fail(str(exc)) from None


def _rotated(report: dict[str, Any]) -> str:
    was = ", ".join(report["previous_master_key_ids"]) or "none"
    return f"re-wrapped {report['rewrapped']} data key(s) under master key {report['master_key_id']} (was: {was})"


def _rotate_key_file(store: UserStore, old_file: Path, target: Path) -> None:
    """New key durable first, then the data keys re-wrapped (one transaction), then the files swapped;
    the old key is kept outside IPPO_HOME for backups made with it."""
    old_raw = old_file.read_bytes().strip()
    old_id = store.master_keys.current.id
    if old_file != target and target.exists():
        new = read_key_file(target)  # a key already kept there (e.g. by another home): adopt it
        staged = None
    else:
        staged = target if old_file != target else target.with_name(target.name + ".new")
        try:
            write_key_file(staged, Fernet.generate_key())
        except FileExistsError:
            raise UserKeyError(f"{staged} exists: a rotation stopped halfway; if `ippo profiles list` works with "
                               f"the current key remove {staged}, else move it to {target}") from None
        new = read_key_file(staged)
    try:
        report = store.rotate_master_key(MasterKey(new.id, new.fernet))
    except BaseException:
        if staged is not None:
            staged.unlink()  # nothing was re-wrapped under it
        raise
    archive = target.with_name(f"{target.name}.{old_id}.old")
    if not archive.exists():
        write_key_file(archive, old_raw)
    if old_file == target:
        assert staged is not None
        os.replace(staged, target)
    else:
        old_file.unlink()
    typer.echo(f"{_rotated(report)}; the master key is now {target}")
    typer.echo(f"the old key was moved to {archive}: keep it only while backups made with it are kept, "
               "then delete it")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="profiles")
