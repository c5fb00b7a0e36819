"""`ippo keys create|list|revoke`: the API keys in $IPPO_HOME/keys/api_keys.sqlite3.

These commands work while `ippo serve` runs: the key database is SQLite (the API re-reads it
every few seconds), not the user store the API holds open. A key is printed once, by
`create`; only its SHA-256 is stored (see docs/api.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from ippo.steps import cli_settings
from ranker.users.api_keys import SCOPES, ApiKey, ApiKeyError, ApiKeyStore, ApiKeyStoreError, utc_now

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


def open_keys() -> ApiKeyStore:
    try:
        return ApiKeyStore.open(cli_settings().home)
    except ApiKeyStoreError as exc:
        raise _fail(str(exc)) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _when(value: datetime | None, missing: str = "-") -> str:
    return missing if value is None else value.strftime("%Y-%m-%d %H:%M:%SZ")


def _state(key: ApiKey) -> str:
    if key.revoked_at is not None:
        return f"revoked {_when(key.revoked_at)}"
    return "expired" if key.expired(utc_now()) else "active"


@app.command("create")
def create(
    scopes: Annotated[str, typer.Option("--scopes", help=f"Comma-separated scopes: {', '.join(SCOPES)}.")],
    name: Annotated[str, typer.Option("--name", help="A label for the list (e.g. the client's name).")] = "",
    expires_days: Annotated[float | None, typer.Option("--expires-days", help="Expire after this many days "
                                                       "(default: never).")] = None,
    org: Annotated[str | None, typer.Option("--org", help="The client's organisation: its keys share the "
                                            "profiles they create.")] = None,
) -> None:
    """Make a key and print it once, alone on the last line (it cannot be shown again)."""
    store = open_keys()
    try:
        key, secret = store.create(scopes, name=name, org=org, expires_days=expires_days)
    except ApiKeyError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"created API key {key.id}  scopes {','.join(sorted(key.scopes))}  org {key.org or '-'}"
               f"  expires {_when(key.expires_at, 'never')}")
    typer.echo("store it now (send it as 'Authorization: Bearer <key>'); it is not kept and cannot be shown again:")
    typer.echo(secret)


@app.command("list")
def list_keys(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every key: id, name, scopes, organisation, created, expires, last used, revoked (never the secret)."""
    keys = open_keys().list_keys()
    if as_json:
        typer.echo(json.dumps([key.as_dict() for key in keys], ensure_ascii=False, indent=2))
        return
    if not keys:
        typer.echo("no API keys; make one with `ippo keys create --scopes recommend,profiles`")
    for key in keys:
        typer.echo(f"{key.id}  {key.name or '-'}  scopes {','.join(sorted(key.scopes))}  org {key.org or '-'}"
                   f"  created {_when(key.created_at)}  expires {_when(key.expires_at, 'never')}"
                   f"  last used {_when(key.last_used_at, 'never')}  {_state(key)}")


@app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `ippo keys list`).")]) -> None:
    """Revoke a key: the running API refuses it within a few seconds."""
    store = open_keys()
    try:
        before = store.get(key_id)
        key = store.revoke(key_id)
    except ApiKeyError as exc:
        raise _fail(str(exc)) from None
    if before.revoked_at is not None:
        typer.echo(f"API key {key.id} was already revoked at {_when(key.revoked_at)}")
        return
    typer.echo(f"revoked API key {key.id}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="keys")
