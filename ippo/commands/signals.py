"""`ippo signals`: supportive-signal tags, with the evidence that raised them, for text on stdin."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from pipeline.signals.tagger import LANGS, tag_text


def signals(
    lang: Annotated[
        str | None, typer.Option("--lang", help="ja or en; detected from the text when left out")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print a JSON list of {tag, evidence, source}")
    ] = False,
) -> None:
    """Read a listing's own text from stdin and print the tags it raises, with evidence."""
    if lang is not None and lang not in LANGS:
        typer.echo(f"--lang {lang!r} is not supported: use one of {', '.join(LANGS)}", err=True)
        raise typer.Exit(code=2)
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError as exc:
        typer.echo(f"stdin is not valid UTF-8 text: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    found = tag_text(text, lang) if text.strip() else []
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        typer.echo("no tags")
        return
    width = max(len(s["tag"]) for s in found)
    typer.echo(f"{'tag':<{width}}  {'source':<10}  evidence")
    for s in found:
        typer.echo(f"{s['tag']:<{width}}  {s['source']:<10}  {s['evidence']}")


def register(app: typer.Typer) -> None:
    app.command("signals")(signals)
