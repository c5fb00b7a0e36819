"""`ippo occupations`: ranked O*NET / job tag occupations for a title or a free text.

With TEXT it ranks that text. Without TEXT it reads JSON Lines {"id", "text"} from stdin and
writes one {"id", "occupations": [...]} line per input, loading the models once; inputs are
scored in batches, so thousands of resumes or titles go through in one run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated, Any, TextIO

import typer

_BATCH = 64
_TAXONOMY_CHOICES = ("auto", "onet", "jobtag")


def _parse_line(number: int, line: str) -> tuple[Any, str] | str:
    """(id, text) of one input line, or the error message for it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return f"line {number}: not valid JSON ({error.msg} at column {error.colno})"
    if not isinstance(item, dict):
        return f'line {number}: expected an object like {{"id": ..., "text": ...}}, got {type(item).__name__}'
    if "text" not in item:
        return f'line {number}: missing "text"'
    if not isinstance(item["text"], str):
        return f'line {number}: "text" must be a string, got {type(item["text"]).__name__}'
    return item.get("id"), item["text"]


def _batches(stream: TextIO, errors: list[str]) -> Iterator[list[tuple[Any, str]]]:
    batch: list[tuple[Any, str]] = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        parsed = _parse_line(number, line)
        if isinstance(parsed, str):
            errors.append(parsed)
            typer.echo(f"ippo occupations: {parsed}", err=True)
            continue
        batch.append(parsed)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _print_table(text: str, ranked: list[dict[str, Any]]) -> None:
    if not ranked:
        typer.echo(f"no occupation matches {text[:60]!r}")
        return
    for position, item in enumerate(ranked, start=1):
        typer.echo(f"{position:>2}. {item['code']:<12} {item['score']:.3f}  {item['title']}")


def occupations(
    text: Annotated[
        str | None, typer.Argument(help="A job title or free text; omit to read JSON Lines from stdin.")
    ] = None,
    taxonomy: Annotated[
        str, typer.Option("--taxonomy", help="onet, jobtag, or auto (job tag for Japanese text).")
    ] = "auto",
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="How many occupations to return.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Rank occupations (O*NET-SOC or job tag) for a title or a free text, e.g. a whole resume."""
    from ippo.steps import cli_settings
    from pipeline.occupations import UnknownTaxonomyError, rank_many

    dense_view = cli_settings().dense_view

    if taxonomy not in _TAXONOMY_CHOICES:
        typer.echo(f"ippo occupations: unknown taxonomy {taxonomy!r}; use onet, jobtag or auto", err=True)
        raise typer.Exit(2)
    try:
        if text is not None:
            if not text.strip():
                typer.echo("ippo occupations: TEXT is empty; give a title or a text", err=True)
                raise typer.Exit(2)
            ranked = rank_many([text], taxonomy, k, dense_view=dense_view)[0]
            if as_json:
                typer.echo(json.dumps(ranked, ensure_ascii=False))
            else:
                _print_table(text, ranked)
            return
        errors: list[str] = []
        for batch in _batches(sys.stdin, errors):
            ranked_batch = rank_many([item_text for _, item_text in batch], taxonomy, k, dense_view=dense_view)
            for (item_id, _), ranked in zip(batch, ranked_batch, strict=True):
                typer.echo(json.dumps({"id": item_id, "occupations": ranked}, ensure_ascii=False))
    except (UnknownTaxonomyError, FileNotFoundError) as error:
        typer.echo(f"ippo occupations: {error}", err=True)
        raise typer.Exit(2) from error
    if errors:
        typer.echo(f"ippo occupations: {len(errors)} input line(s) skipped", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("occupations")(occupations)
