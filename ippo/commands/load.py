"""`ippo load`: ingest raw runs not yet loaded into the warehouse (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ippo.progress import Display
from ippo.steps import cli_settings, load_step
from pipeline.employers.records import RegistryConfigError, RegistryFileError, read_known_registry
from pipeline.errors import WarehouseBusyError


def load(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    registry: Annotated[Path | None, typer.Option(
        "--registry", help="Also load this registry file (CSV/XLSX) into the registry table.")] = None,
    registry_spec: Annotated[str | None, typer.Option(
        "--registry-spec", help="The registry's name in pipeline/vocab/registries.toml (e.g. gbizinfo_awards).")
    ] = None,
) -> None:
    """Load new raw runs: normalize, tag, upsert with history, quarantine bad items.

    On a terminal each long stage shows a progress bar (on stderr); --json shows none."""
    settings = cli_settings()
    records: list = []
    if registry is not None or registry_spec is not None:
        if registry_spec is None:
            typer.echo("error: --registry needs --registry-spec NAME (a table of registries.toml)", err=True)
            raise typer.Exit(2)
        try:
            read, read_report = read_known_registry(registry_spec, registry)
        except (RegistryConfigError, RegistryFileError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        origin = f"registry:{registry.name if registry else registry_spec}"
        records = [(r, origin) for r in read]
        if not as_json:
            typer.echo(f"registry {registry_spec}: {read_report.rows} rows -> {read_report.records} records, "
                       f"{len(read_report.rejected)} rejected, {sum(read_report.ignored.values())} ignored")
    try:
        with Display.for_command(as_json) as display:
            report = load_step(settings, (lambda _: None) if as_json else display.echo, registry_records=records,
                               display=display)
    except WarehouseBusyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3) from None
    if as_json:
        typer.echo(json.dumps({
            "totals": report.totals(),
            "closed": dict(report.closed),
            "support": report.support.as_dict(),
            "runs": [{"path": r.path, "source": r.source, "items": r.items, "new": r.new, "changed": r.changed,
                      "unchanged": r.unchanged, "registry_records": r.registry_records,
                      "support_items": r.support_items, "quarantined": dict(r.quarantined)} for r in report.runs],
            "quarantined_by_reason": [{"source": s, "reason": r, "count": n} for s, r, n in report.quality_table()],
        }, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("load")(load)
