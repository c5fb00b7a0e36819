"""`ippo config [--json]`: the effective settings, where each value came from, secrets masked.

Every setting is listed with its environment variable, its value and its source: ``env`` (an
environment variable), ``ippo.toml`` ($IPPO_HOME/ippo.toml) or ``default``. Secrets (the user
key, the USAJOBS key) show only whether they are set. The $IPPO_HOME layout follows.
See docs/configuration.md for what each setting means.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ippo.config import Settings, env_name, masked, origins, toml_name
from ippo.steps import cli_settings

LAYOUT = ("config_file", "raw_dir", "warehouse_path", "serving_dir", "users_path", "embeddings_cache_path",
          "cache_dir", "occupations_cache_dir", "httpcache_dir", "keys_dir")


def settings_rows(settings: Settings) -> list[dict[str, Any]]:
    """One row per setting: field, variable, ippo.toml key, value (secrets masked), source."""
    values = masked(settings)
    sources = origins(settings)
    return [
        {"field": field, "variable": env_name(field), "toml": toml_name(field), "value": values[field],
         "source": sources[field]}
        for field in Settings.model_fields
    ]


def layout(settings: Settings) -> dict[str, str]:
    return {name: str(getattr(settings, name)) for name in LAYOUT}


def _shown(value: Any) -> str:
    if value is None:
        return "(unset)"
    if value == "":
        return '""'
    return str(value)


def config(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the effective settings and where each came from (env, ippo.toml or default)."""
    settings = cli_settings()
    rows = settings_rows(settings)
    if as_json:
        typer.echo(json.dumps({"settings": rows, "layout": layout(settings)}, ensure_ascii=False, indent=2))
        return
    width = max(len(row["variable"]) for row in rows)
    for row in rows:
        typer.echo(f"{row['variable']:<{width}}  {_shown(row['value'])}  ({row['source']})")
    typer.echo("")
    typer.echo(f"$IPPO_HOME layout ({settings.home}):")
    for name, path in layout(settings).items():
        typer.echo(f"  {name:<22} {path}")


def register(app: typer.Typer) -> None:
    app.command("config")(config)
