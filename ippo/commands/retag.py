"""`ippo retag`: tag the stored listings again after a change of the signal vocabulary or tagger."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ippo.steps import cli_settings, warehouse_exists
from pipeline.errors import WarehouseBusyError

if TYPE_CHECKING:
    from pipeline.warehouse.retag import RetagReport

_PROGRESS_EVERY = 20_000  # listings between progress lines


def retag(
    all_listings: Annotated[bool, typer.Option(
        "--all", help="Re-tag closed listings too (default: open listings only).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Report what would change; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Tag stored listings again after a change of the signal vocabulary or tagger (no crawl, no raw runs)."""
    import pipeline.warehouse.retag as retagging

    settings = cli_settings()
    if not warehouse_exists(settings):
        typer.echo("error: there is no warehouse yet; run `ippo crawl` and `ippo load` first", err=True)
        raise typer.Exit(2)
    shown = [0]

    def progress(report: RetagReport) -> None:
        if not as_json and report.examined - shown[0] >= _PROGRESS_EVERY:
            shown[0] = report.examined
            typer.echo(f"  {report.examined} listings examined, {report.changed} changed so far ...", err=True)

    try:
        report = retagging.retag(settings.warehouse_path, all_listings=all_listings, dry_run=dry_run,
                                 progress=progress)
    except retagging.WarehouseMissingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except WarehouseBusyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in summary_lines(report):
            typer.echo(line)


def summary_lines(report: RetagReport) -> list[str]:
    """What the re-tag did (or would do), tag by tag, and what to run next."""
    verb = "would change" if report.dry_run else "changed"
    what = "dry run over" if report.dry_run else "re-tagged"
    lines = [
        f"{what} {report.scope} listings with signal {report.fingerprint}: {report.examined} examined, "
        f"{report.changed} {verb}, {report.unchanged} unchanged ({report.seconds:.1f}s)",
    ]
    tags = sorted(set(report.raised) | set(report.dropped))
    if tags:
        width = max(len(t) for t in tags)
        lines.append(f"  {'tag':<{width}}  raised  dropped")
        lines += [f"  {t:<{width}}  {report.raised[t]:>6}  {report.dropped[t]:>7}" for t in tags]
    if report.changed:
        lines.append(f"  supportiveness {verb} on {report.supportiveness_changed} listing(s); the evidence alone "
                     f"on {report.evidence_changed}")
    if report.kept_unread:
        lines.append(f"  {report.kept_unread} text tag(s) kept as they were: their evidence is in the source's "
                     "hours or location text, which only the raw runs hold (the next load of a changed listing "
                     "tags it again)")
    for example in report.examples[:5]:
        moves = [*(f"+{t}" for t in example.raised), *(f"-{t}" for t in example.dropped)] or ["evidence"]
        lines.append(f"  e.g. {example.id} {example.title}: {' '.join(moves)}")
    if report.dry_run:
        lines.append("nothing written; run `ippo retag` without --dry-run to apply")
    else:
        lines.append(f"recorded as run {report.run} (raw_runs, kind 'retag'; history reason 'signal re-tag')")
        lines.append("next: `ippo publish` publishes the re-tagged listings (and recomputes the evidence "
                     "against tags, which snapshots hold)")
    return lines


def register(app: typer.Typer) -> None:
    app.command("retag")(retag)
