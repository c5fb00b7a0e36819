"""The demo corpus: the local site answers as each job board API does, and the real spiders crawl it."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import httpx
import pytest

from ippo.commands.demo import demo_sources
from ippo.demo_site import API_PREFIXES, DEMO_PAYLOADS, bundled_boards, bundled_support, serve_pages
from pipeline.support.offices import REQUIRED_COLUMNS


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
    assert [s.spider for s in sources[:3]] == ["jsonld", "support", "hellowork_areas"]
    assert len({s.name for s in sources}) == len(sources) == 3 + sum(len(b) for b in bundled_boards().values())
    lever = next(s for s in sources if s.spider == "lever")
    assert lever.args == {"base_url": "http://127.0.0.1:1/lever/v0/postings", "board": "palantir",
                          "company": "Palantir Technologies"}
    assert demo_sources("http://127.0.0.1:1", pages_only=True) == sources[:3]
    assert sources[1].args["urls"].split(",") == [f"http://127.0.0.1:1{p}" for p in bundled_support()["wam"]]


def _support_csv(name: str) -> list[dict[str, str]]:
    body = gzip.decompress((DEMO_PAYLOADS / "support" / "wam" / f"{name}.csv.gz").read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_support_data_is_real_wam_rows_of_tokyo_in_the_shape_the_spider_reads() -> None:
    files = bundled_support()
    assert [p.rsplit("/", 1)[1] for p in files["hellowork"]] == ["zip5.json", "zip7.json"]
    rows = {p.rsplit("/", 1)[1].removesuffix(".csv"): _support_csv(p.rsplit("/", 1)[1].removesuffix(".csv"))
            for p in files["wam"]}
    assert 300 <= sum(len(r) for r in rows.values()) <= 1000
    assert all(row["事業所住所（市区町村）"].startswith("東京都") for r in rows.values() for row in r)
    assert all(set(REQUIRED_COLUMNS) <= set(r[0]) and len(r[0]) == 29 for r in rows.values())
    nakano = [row for row in rows["wam_2022_shuro_ikou_shien_tokyo"] if row["事業所住所（市区町村）"] == "東京都中野区"]
    assert "ワークステーションJade中野" in {row["事業所の名称"] for row in nakano}
    licence = (DEMO_PAYLOADS / "support" / "hellowork" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT" in licence and "Saya Kitano" in licence
    sources = (DEMO_PAYLOADS / "SOURCES.md").read_text(encoding="utf-8")
    assert "出典：障害福祉サービス等情報公表システム（WAM NET）オープンデータ" in sources and "Saya Kitano" in sources


def test_the_site_serves_the_support_files() -> None:
    files = bundled_support()
    with serve_pages(port=0) as base:
        first = httpx.get(base + files["wam"][0])
        assert first.status_code == 200 and first.headers["content-type"].startswith("text/csv")
        assert first.content.startswith("都道府県コード又は市区町村コード".encode())
        zip5 = httpx.get(base + files["hellowork"][0]).json()
        assert "新宿" in zip5["zip5"]["helloWorks"]
        for missing in ("/support/wam/nothing.csv", "/support/hellowork/LICENSE.txt", "/support/other/zip5.json",
                        "/support/wam/../../demo_pages/x.csv"):
            assert httpx.get(base + missing).status_code == 404, missing


def test_the_support_spiders_crawl_the_demo_site_and_the_offices_load(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ippo.commands.demo import _LOCAL_SETTINGS
    from ippo.config import Settings
    from ippo.steps import crawl_sources, load_step

    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "home"))
    settings = Settings()
    with serve_pages(port=0) as base:
        sources = [s for s in demo_sources(base) if s.spider in ("support", "hellowork_areas")]
        results = crawl_sources(settings, sources, lambda _: None, extra_settings=_LOCAL_SETTINGS)
    assert [r.ok for r in results] == [True, True], [r.error for r in results]
    support = load_step(settings, lambda _: None).support
    expected = sum(len(_support_csv(p.rsplit("/", 1)[1].removesuffix(".csv"))) for p in bundled_support()["wam"])
    assert support.rows == expected
    assert support.offices + sum(support.quarantined.values()) == expected
    assert support.hellowork_tables == 2 and support.hellowork_areas > 1000


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
