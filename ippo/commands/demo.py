"""`ippo demo`: the whole job on the embedded default, end to end.

Serves the bundled real job pages, job board payloads and support data on 127.0.0.1
(ippo/demo_site.py), crawls them with the real spiders (jsonld for the pages; greenhouse, lever,
ashby and remoteok for the boards; support and hellowork_areas for WAM NET's offices of 東京都 and
the Hello Work areas), loads them into the warehouse, publishes a snapshot and prints
recommendations for a sample profile (with support near its home in 中野区). With --serve it then
serves the page for people and the API on that data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from crawlers.sources import Source
from ippo.demo_site import API_PREFIXES, DEMO_PAGES, bundled_boards, bundled_support, serve_pages
from ippo.steps import cli_settings, crawl_sources, load_step, publish_step
from pipeline.embedding import Embedder
from pipeline.warehouse.pointer import current_snapshot
from ranker.present import page_to_dict, page_to_text
from ranker.profile import ProfileError, load_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex

SAMPLE_PROFILE = Path(__file__).resolve().parent.parent / "samples" / "profile_returning_nurse_ja.json"
# The local demo site is ours: no need to be slow with it. robots.txt is still obeyed.
_LOCAL_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
# Lever and Ashby payloads do not name the employer (as in sources.toml).
_COMPANIES = {("lever", "palantir"): "Palantir Technologies", ("ashby", "openevidence"): "OpenEvidence"}


def demo_sources(base_url: str, pages_only: bool = False) -> list[Source]:
    """The demo site's sources: its JobPosting pages, the support data (WAM NET offices and Hello
    Work areas), then every bundled job board."""
    sources = [Source(name="demo", spider="jsonld", args={"urls": f"{base_url}/sitemap.xml"})]
    support = bundled_support()
    if "wam" in support:
        sources.append(Source(name="demo-support", spider="support",
                              args={"urls": ",".join(base_url + path for path in support["wam"])}))
    if "hellowork" in support:
        sources.append(Source(name="demo-hellowork-areas", spider="hellowork_areas",
                              args={"urls": ",".join(base_url + path for path in support["hellowork"])}))
    if pages_only:
        return sources
    for ats, boards in bundled_boards().items():
        for board in boards:
            args = {"base_url": base_url + API_PREFIXES[ats]}
            if ats != "remoteok":
                args["board"] = board
            if (ats, board) in _COMPANIES:
                args["company"] = _COMPANIES[(ats, board)]
            name = f"demo-{ats}" if ats == "remoteok" else f"demo-{ats}-{board}"
            sources.append(Source(name=name, spider=ats, args=args))
    return sources


def demo(
    profile: Annotated[Path, typer.Option(help="Profile to recommend for.")] = SAMPLE_PROFILE,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the recommendations as JSON.")] = False,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the page for people and the API on this data.")
                     ] = False,
    port: Annotated[int, typer.Option(help="Port of the page and the API for --serve.")] = 8000,
    site_port: Annotated[int, typer.Option(help="Port of the local demo site (0 = any free port).")] = 8765,
    pages_only: Annotated[
        bool, typer.Option("--pages-only", help="Crawl only the 9 bundled JobPosting pages and the support data "
                                                "(fast; few listings).")
    ] = False,
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
        sources = demo_sources(base_url, pages_only)
        boards = sum(1 for source in sources if source.spider not in ("jsonld", "support", "hellowork_areas"))
        say(f"[1/4] serving {len(list(DEMO_PAGES.glob('*.html')))} bundled job pages, {boards} job boards "
            f"and support data (WAM NET offices of 東京都, Hello Work areas) at {base_url}")
        results = crawl_sources(settings, sources, say, extra_settings=_LOCAL_SETTINGS)
    failed = [result for result in results if not result.ok]
    if failed:
        for result in failed:
            typer.echo(f"error: the demo crawl of {result.source} failed; see {result.log_file}", err=True)
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

        say(f"the page for people: http://127.0.0.1:{port}/ (no key needed)")
        say(f"the API: http://127.0.0.1:{port}/v1/... (docs at http://127.0.0.1:{port}/docs; calls need a key "
            "from `ippo keys create --scopes recommend,profiles`); Ctrl+C to stop")
        uvicorn.run(create_app(settings, embedder=embedder), host="127.0.0.1", port=port, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
