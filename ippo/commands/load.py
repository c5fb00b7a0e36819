"""`ippo load`: ingest raw runs not yet loaded into the warehouse (idempotent)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ippo.steps import load_step
from pipeline.errors import WarehouseBusyError


def load(as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False) -> None:
    """Load new raw runs: normalize, tag, upsert with history, quarantine bad items."""
    try:
        report = load_step((lambda _: None) if as_json else typer.echo)
    except WarehouseBusyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3) from None
    if as_json:
        typer.echo(json.dumps({
            "totals": report.totals(),
            "runs": [{"path": r.path, "source": r.source, "items": r.items, "new": r.new, "changed": r.changed,
                      "unchanged": r.unchanged, "quarantined": dict(r.quarantined)} for r in report.runs],
            "quarantined_by_reason": [{"source": s, "reason": r, "count": n} for s, r, n in report.quality_table()],
        }, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("load")(load)
