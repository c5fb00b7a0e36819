"""`ippo sources [--json]`: every configured source with its health and schedule.

One row per source of sources.toml: when it last succeeded, how many items its last run wrote,
the share of its last run's requests that failed, how many runs in a row failed, and when it is
next due (failing sources are backed off, see crawlers/ledger.py).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from crawlers import ledger
from crawlers.sources import SourcesError, load_sources
from ippo.config import Settings
from ippo.steps import cli_settings


def source_rows(settings: Settings) -> list[dict[str, Any]]:
    """The status of every configured source, from its run ledger."""
    configured = load_sources(settings.sources)
    home = settings.home
    rows = []
    for source in configured.values():
        record = ledger.read_ledger(home, source.name)
        last = (record.get("runs") or [None])[-1] or {}
        rows.append(
            {
                "source": source.name,
                "spider": source.spider,
                "enabled": source.enabled,
                "last_run": last.get("finished_at"),
                "last_run_ok": last.get("ok"),
                "last_success": record.get("last_success"),
                "items": last.get("items"),
                "requests": last.get("requests"),
                "error_rate": last.get("error_rate"),
                "errors": last.get("errors") or {},
                "error": last.get("error"),
                "consecutive_failures": record.get("consecutive_failures", 0),
                "next_due": record.get("next_due"),
                "due": ledger.is_due(home, source.name),
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


def sources(json_: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False) -> None:
    """Show each source's last success, items, error rate and next due time."""
    try:
        rows = source_rows(cli_settings())
    except SourcesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if json_:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    header = ("source", "spider", "on", "last success", "items", "errors", "fails", "next due")
    table = [header] + [
        (
            r["source"],
            r["spider"],
            "yes" if r["enabled"] else "no",
            _cell(r["last_success"]),
            _cell(r["items"]),
            _cell(r["error_rate"]),
            _cell(r["consecutive_failures"]),
            "now" if r["due"] and r["enabled"] else _cell(r["next_due"]),
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        typer.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for r in rows:
        if r["last_run_ok"] is False and r["error"]:
            typer.echo(f"{r['source']}: last run failed: {r['error']}")


def register(app: typer.Typer) -> None:
    app.command("sources")(sources)
