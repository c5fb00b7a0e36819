"""`ippo demo`: the whole job on the embedded default, end to end.

Serves the bundled real job pages on 127.0.0.1, crawls them with the jsonld spider, loads
them into the warehouse, publishes a snapshot and prints recommendations for a sample
profile. With --serve it then serves the API on that data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from crawlers.sources import Source
from ippo.demo_site import DEMO_PAGES, serve_pages
from ippo.steps import cli_settings, crawl_sources, load_step, publish_step
from pipeline.embedding import Embedder
from pipeline.warehouse.pointer import current_snapshot
from ranker.present import page_to_dict, page_to_text
from ranker.profile import ProfileError, load_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex

SAMPLE_PROFILE = Path(__file__).resolve().parent.parent / "samples" / "profile_returning_nurse_ja.json"
# The local demo site is ours: no need to be slow with it. robots.txt is still obeyed.
_LOCAL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def demo(
    profile: Annotated[Path, typer.Option(help="Profile to recommend for.")] = SAMPLE_PROFILE,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the recommendations as JSON.")] = False,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the API on this data.")] = False,
    port: Annotated[int, typer.Option(help="API port for --serve.")] = 8000,
    site_port: Annotated[int, typer.Option(help="Port of the local demo site (0 = any free port).")] = 8765,
) -> None:
    """Run crawl -> load -> publish -> recommend on the bundled real job pages."""
    try:
        person = load_profile(profile)
    except ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    say = (lambda message: typer.echo(message, err=True)) if as_json else typer.echo
    settings = cli_settings()
    say(f"ippo demo: data in {settings.home}")
    embedder = Embedder(settings.embedding_model)
    with serve_pages(DEMO_PAGES, port=site_port) as base_url:
        say(f"[1/4] serving {len(list(DEMO_PAGES.glob('*.html')))} bundled job pages at {base_url}")
        source = Source(name="demo", spider="jsonld", args={"urls": f"{base_url}/sitemap.xml"})
        results = crawl_sources(settings, [source], say, extra_settings=_LOCAL_SETTINGS)
    if not results[0].ok:
        typer.echo(f"error: the demo crawl failed; see {results[0].log_file}", err=True)
        raise typer.Exit(1)
    say("[2/4] load")
    load_step(settings, say)
    say("[3/4] publish")
    publish_step(settings, say, embedder)
    say(f"[4/4] recommendations for {profile.name}")
    snapshot = current_snapshot(settings.serving_dir)
    assert snapshot is not None
    page = recommend(ServingIndex.from_snapshot(snapshot), person, k=k, embedder=embedder)
    typer.echo(json.dumps(page_to_dict(page), ensure_ascii=False, indent=2) if as_json else page_to_text(page))
    if serve:
        import uvicorn

        from api.main import create_app

        say(f"serving the API on http://127.0.0.1:{port} (docs at /docs); Ctrl+C to stop")
        uvicorn.run(create_app(settings, embedder=embedder), host="127.0.0.1", port=port, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
