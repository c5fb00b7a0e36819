"""`ippo extract PATH_OR_URL [--url URL] --json`: the canonical listings found on one page."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from pipeline.canonical import Listing
from pipeline.errors import NormalizeError
from pipeline.fields.dates import is_expired
from pipeline.sources.jobposting import normalize_jobposting
from pipeline.warehouse.enrich import enrich_listings

_MAX_BYTES = 20 * 1024 * 1024


def _read(target: str) -> tuple[bytes, str | None, str]:
    """(body, content type, the URL the page stands for)."""
    if re.match(r"^https?://", target):
        try:
            response = httpx.get(target, follow_redirects=True, timeout=30.0)
        except httpx.HTTPError as exc:
            typer.echo(f"error: could not fetch {target}: {exc}", err=True)
            raise typer.Exit(2) from None
        if response.status_code >= 400:
            typer.echo(f"error: {target} answered HTTP {response.status_code}", err=True)
            raise typer.Exit(2)
        return response.content, response.headers.get("content-type"), str(response.url)
    path = Path(target)
    if not path.is_file():
        typer.echo(f"error: {target} is not a file (give a saved page or an http(s) URL)", err=True)
        raise typer.Exit(2)
    if path.stat().st_size > _MAX_BYTES:
        typer.echo(f"error: {target} is larger than {_MAX_BYTES // 1024 // 1024} MB; is it really one page?", err=True)
        raise typer.Exit(2)
    return path.read_bytes(), None, path.resolve().as_uri()


def extract_listings(body: bytes, content_type: str | None, page_url: str, origin: str,
                     warn: Any = None) -> list[Listing]:
    warn = warn or (lambda message: typer.echo(message, err=True))
    page = decode_page(body, content_type)
    for warning in page.warnings:
        warn(f"warning: {origin}: {warning}")
    extraction = extract_from_html(page.text, base_url=page_url)
    for problem in extraction.problems:
        warn(f"warning: {origin}: {problem}")
    host = re.sub(r"[^a-z0-9]+", "-", page_url.split("//", 1)[-1].split("/")[0].lower()).strip("-") or "file"
    listings: list[Listing] = []
    now = datetime.now(UTC)
    for number, posting in enumerate(extraction.postings, start=1):
        item = {"kind": "jobposting", "source": host, "url": page_url, "canonical_url": extraction.canonical_url,
                "page_language": extraction.language, "payload": posting}
        try:
            listing = normalize_jobposting(item)
        except NormalizeError as exc:
            warn(f"warning: {origin}: JobPosting {number} skipped: {exc}")
            continue
        if is_expired(listing["valid_through"], now):
            listing["status"] = "closed"
        listings.append(listing)
    enrich_listings(listings)
    return listings


def extract(
    target: Annotated[str, typer.Argument(metavar="PATH_OR_URL", help="A saved page or an http(s) URL.")],
    url: Annotated[str | None, typer.Option(help="The page's original URL (for a saved file).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of canonical listings.")] = False,
) -> None:
    """Print the canonical listings (schema.org JobPosting) found on one page."""
    body, content_type, page_url = _read(target)
    listings = extract_listings(body, content_type, url or page_url, origin=target)
    if as_json:
        typer.echo(json.dumps(listings, ensure_ascii=False, indent=2))
        return
    if not listings:
        typer.echo(f"{target}: no JobPosting found")
    for listing in listings:
        salary: Mapping[str, Any] = listing["salary"] or {}
        typer.echo(f"{listing['title']} | {listing['employer']['name']} | "
                   f"{', '.join(filter(None, (loc['region'] or loc['locality'] for loc in listing['locations'])))} | "
                   f"{salary.get('min')}-{salary.get('max')} {salary.get('currency')}/{salary.get('unit')} | "
                   f"{listing['status']}")


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
