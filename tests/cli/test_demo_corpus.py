"""The demo corpus: the local site answers as each job board API does, and the real spiders crawl it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest

from ippo.commands.demo import demo_sources
from ippo.demo_site import API_PREFIXES, DEMO_PAYLOADS, bundled_boards, serve_pages


def _entries(ats: str, board: str) -> list[dict]:
    data = json.loads(gzip.decompress((DEMO_PAYLOADS / ats / f"{board}.json.gz").read_bytes()))
    return data["jobs"] if isinstance(data, dict) else data


def test_the_corpus_is_large_and_varied_enough_to_judge_recommendations_by() -> None:
    boards = bundled_boards()
    assert set(boards) == {"greenhouse", "lever", "ashby", "remoteok"}  # + jsonld pages: five source types
    counts = {ats: sum(len(_entries(ats, board)) for board in names) for ats, names in boards.items()}
    assert sum(counts.values()) >= 2000, counts
    in_japan = [job for board in boards["greenhouse"] for job in _entries("greenhouse", board)
                if "Japan" in job["location"]["name"] or "Tokyo" in job["location"]["name"]]
    assert len(in_japan) >= 100


def test_each_api_answers_like_the_real_one() -> None:
    job = _entries("greenhouse", "discord")[0]
    with serve_pages(port=0) as base:
        board = httpx.get(f"{base}{API_PREFIXES['greenhouse']}/discord/jobs").json()
        assert len(board["jobs"]) == 51
        assert httpx.get(f"{base}{API_PREFIXES['greenhouse']}/discord/jobs/{job['id']}").json() == job
        assert isinstance(httpx.get(f"{base}{API_PREFIXES['lever']}/palantir", params={"mode": "json"}).json(), list)
        assert "jobs" in httpx.get(f"{base}{API_PREFIXES['ashby']}/openevidence").json()
        assert len(httpx.get(f"{base}{API_PREFIXES['remoteok']}").json()) == 98
        for missing in ("/greenhouse/v1/boards/nobody/jobs", "/greenhouse/v1/boards/discord/jobs/1",
                        "/greenhouse/v1/boards/../demo_pages/jobs", "/lever/v0/postings/nobody", "/elsewhere"):
            assert httpx.get(base + missing).status_code == 404, missing


def test_demo_sources_name_every_board_once() -> None:
    sources = demo_sources("http://127.0.0.1:1")
    assert sources[0].spider == "jsonld"
    assert len({s.name for s in sources}) == len(sources) == 1 + sum(len(b) for b in bundled_boards().values())
    lever = next(s for s in sources if s.spider == "lever")
    assert lever.args == {"base_url": "http://127.0.0.1:1/lever/v0/postings", "board": "palantir",
                          "company": "Palantir Technologies"}
    assert demo_sources("http://127.0.0.1:1", pages_only=True) == sources[:1]


def test_the_real_spiders_crawl_the_small_boards_and_the_listings_load(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ippo.commands.demo import _LOCAL_SETTINGS
    from ippo.config import Settings
    from ippo.steps import crawl_sources, load_step

    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "home"))
    settings = Settings()
    wanted = {"demo-lever-palantir", "demo-ashby-openevidence", "demo-remoteok", "demo-greenhouse-phoenixcontact"}
    with serve_pages(port=0) as base:
        sources = [s for s in demo_sources(base) if s.name in wanted]
        results = crawl_sources(settings, sources, lambda _: None, extra_settings=_LOCAL_SETTINGS)
    assert [r.ok for r in results] == [True] * 4, [r.error for r in results]
    report = load_step(settings, lambda _: None)
    assert report.totals()["new"] == 2 + 2 + 96 + 34
