"""crawl -> load -> publish -> recommend against the local site of real pages, through the
CLI and the API, in a private IPPO_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ippo.cli import app
from ippo.commands.demo import SAMPLE_PROFILE
from ippo.demo_site import serve_pages

runner = CliRunner()


def test_crawl_wrote_one_raw_run_with_stats(published: Path) -> None:
    runs = list((published / "raw" / "local").glob("*.jsonl"))
    assert len(runs) == 1
    items = [json.loads(line) for line in runs[0].read_text(encoding="utf-8").splitlines()]
    assert sorted(i["payload"]["title"] for i in items) == sorted(
        ["薬剤師(月給 : 30万円～)", "正看護師", "正看護師", "正看護師", "看護師", "Senior DevOps Engineer"])
    stats = json.loads(runs[0].with_name(runs[0].name.replace(".jsonl", ".stats.json")).read_text())
    assert stats["items_written"] == 6
    assert stats["scrapy_stats"]["ippo/pages/without_jobposting"] == 3


def test_recommend_cli_json(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_HOME", str(published))
    result = runner.invoke(app, ["recommend", "--profile", str(SAMPLE_PROFILE), "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    top = page["results"][0]
    assert top["title"] == "看護師"
    assert top["employer"] == "医療法人財団綜友会　 新宿ファーストタワークリニック"
    assert top["location"] == "東京都 新宿区"
    assert top["url"] == "https://kirara-support.jp/kango/search/detail/job995514"
    assert top["misses"] == []
    assert any(r["kind"] == "relevance" for r in top["reasons"])
    titles = [r["title"] for r in page["results"]]
    assert "正看護師" not in titles[:2] or page["results"][titles.index("正看護師")]["misses"]
    # Expired listings (mc-nurse 2026-06-30, supernurse 2023-03-24) are never shown.
    assert page["candidates"] == 4


def test_recommend_cli_rejects_a_bad_profile_clearly(published: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_HOME", str(published))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["recommend", "--profile", str(bad)])
    assert result.exit_code == 2
    assert f"profile file {bad} is not valid JSON" in result.output


def test_api_serves_the_published_snapshot(published: Path, embedder) -> None:
    from api.main import create_app
    from ippo.config import Settings
    from tests.api.served import with_key

    profile = json.loads(SAMPLE_PROFILE.read_text(encoding="utf-8"))
    with TestClient(create_app(Settings(home=published), embedder=embedder)) as client:
        with_key(client, published, "recommend")
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["open_listings"] == 4
        response = client.post("/v1/recommendations?k=2", json=profile)
        assert response.status_code == 200
        assert response.json()["results"][0]["title"] == "看護師"
        assert client.get("/openapi.json").json()["paths"]["/v1/recommendations"]["post"]
        assert client.get("/docs").status_code == 200
        secret = "通院中の病名"
        bad = client.post("/v1/recommendations", json={**profile, "needs": [secret]})
        assert bad.status_code == 422
        assert secret not in bad.text and "needs" in bad.text


def test_second_crawl_of_unchanged_site_changes_nothing(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_HOME", str(published))
    with serve_pages(port=0) as base:
        crawled = runner.invoke(app, ["crawl", "--url", f"{base}/jobs/kirara-support.html"])
    assert crawled.exit_code == 0, crawled.output
    loaded = json.loads(runner.invoke(app, ["load", "--json"]).stdout)
    assert loaded["totals"]["runs"] == 1
    assert loaded["totals"]["items"] == 1
