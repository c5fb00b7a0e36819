"""`ippo support --near PLACE [--types T,T] [--radius-km 10] [-k 10] [--lang ja|en] [--json]`:
employment-support offices near a place, from the published snapshot's support tables."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ippo.steps import cli_settings
from pipeline.warehouse.pointer import SNAPSHOT_SUFFIX, current_snapshot
from ranker.present import hellowork_line, office_line
from ranker.support.answer import DEFAULT_LIMIT, DEFAULT_RADIUS_KM, support_near
from ranker.support.nearest import MAX_OFFICES, MAX_RADIUS_KM
from ranker.support.places import PlaceCodeError, home_from_text
from ranker.support.tables import SERVICE_TYPES, read_support_tables
from ranker.wording import Language, Names, say


def _types(text: str | None) -> list[str] | None:
    if not text:
        return None
    types = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in types if t not in SERVICE_TYPES]
    if unknown:
        raise typer.BadParameter(f"unknown service type(s) {', '.join(unknown)}; use {', '.join(SERVICE_TYPES)}",
                                 param_hint="--types")
    return types


def _place_name(place: dict[str, Any], near: str) -> str:
    return str(place.get("municipality") or near)


def _located(place: dict[str, Any], language: Language) -> str:
    by = place.get("located_by")
    if by == "coordinates":
        return say(language, "support.located_coordinates")
    if by == "municipality":
        return say(language, "support.located_municipality", name=place.get("municipality"))
    if by == "prefecture":
        return say(language, "support.located_prefecture", name=str(place.get("municipality") or "")[:4])
    return ""


def answer_text(answer: dict[str, Any], near: str, language: Language) -> str:
    """The answer as lines to read: where distances run from, the offices or why there are none,
    and the Hello Work office in charge."""
    place = answer["place"]
    lines = [say(language, "support.header", place=_place_name(place, near))]
    located = _located(place, language)
    if located:
        lines.append(f"  ({located})")
    status = answer["status"]
    if status == "not_loaded":
        lines.append(say(language, "support.not_loaded"))
    elif status == "outside_japan":
        lines.append(say(language, "support.outside_japan"))
    elif status == "no_point":
        lines.append(say(language, "support.no_point", name=_place_name(place, near)))
    elif status == "none_within_radius":
        lines.append(say(language, "support.none_within", radius=answer["radius_km"],
                         types=Names.of("service_type", answer["service_types"])))
    for i, office in enumerate(answer["offices"], start=1):
        lines.append(f"{i}. {office_line(office, language)}")
        details = [office.get("address"), office.get("phone"), office.get("url")]
        if (office.get("hours") or {}).get("weekday"):
            details.append(say(language, "support.hours", hours=office["hours"]["weekday"]))
        lines.append("   " + " | ".join(str(d) for d in details if d))
    if status != "outside_japan":
        lines.append(hellowork_line(answer["hellowork_offices"], answer["hellowork_loaded"],
                                    place.get("municipality") is not None, language))
    return "\n".join(lines)


def support(
    near: Annotated[str, typer.Option("--near", help="A postcode (164-0014), a municipality code (13114) or "
                                                     "lat,lng (35.69,139.67).")],
    types: Annotated[str | None, typer.Option("--types", help=f"Service types, comma-separated: "
                                                              f"{', '.join(SERVICE_TYPES)} (all by default).")] = None,
    radius_km: Annotated[float, typer.Option("--radius-km", min=0.1, max=MAX_RADIUS_KM,
                                             help="Straight-line km.")] = DEFAULT_RADIUS_KM,
    k: Annotated[int, typer.Option("-k", min=1, max=MAX_OFFICES, help="How many offices.")] = DEFAULT_LIMIT,
    lang: Annotated[str, typer.Option("--lang", help="ja or en: the language of the text output.")] = "ja",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Employment-support offices near a place, nearest first, and the Hello Work office in charge."""
    wanted = _types(types)
    if lang not in ("ja", "en"):
        raise typer.BadParameter("use ja or en", param_hint="--lang")
    try:
        home = home_from_text(near)
    except (PlaceCodeError, ValueError) as exc:
        typer.echo(f"error: --near: {exc}", err=True)
        raise typer.Exit(2) from None
    snapshot = current_snapshot(cli_settings().serving_dir)
    if snapshot is None:
        typer.echo("error: no published snapshot yet; run `ippo refresh` (or `ippo demo`) first", err=True)
        raise typer.Exit(2)
    # Only the support tables are read: the listings' index is not needed here.
    tables = read_support_tables(snapshot, snapshot.name.removesuffix(SNAPSHOT_SUFFIX))
    answer = support_near(tables, home, wanted, radius_km, k)
    language: Language = "ja" if lang == "ja" else "en"
    typer.echo(json.dumps(answer, ensure_ascii=False, indent=2) if as_json else answer_text(answer, near, language))


def register(app: typer.Typer) -> None:
    app.command("support")(support)
