"""Shared test fixtures: real pages, a private IPPO_HOME per test, one embedding model per session."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PAGES = ROOT / "ippo" / "demo_pages"  # the real JobPosting pages ship with the package (ippo demo serves them)
# The real public data: $IPPO_SHARED_DATA when set (as for the benchmarks), else ../shared/data.
SHARED_DATA = Path(os.environ.get("IPPO_SHARED_DATA") or ROOT.parent / "shared" / "data")


def pytest_configure(config: pytest.Config) -> None:
    """The user store's master key defaults to $XDG_CONFIG_HOME/ippo/master.key: give the test run
    (and the processes it starts) a config folder of its own instead of the user's."""
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ippo-test-config-")


def shared_data(relative: str) -> Path:
    """A path inside ../shared/data, or skip the test when that folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{relative} (real public data beside the repository)")
    return path


@pytest.fixture
def ippo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "ippo-home"
    monkeypatch.setenv("IPPO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def embedder():
    from pipeline.embedding import Embedder

    model = Embedder()
    model.encode(["load"])
    return model


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private IPPO_HOME after crawl -> load -> publish of the local site of real pages (via the CLI)."""
    from typer.testing import CliRunner

    from ippo.cli import app
    from ippo.demo_site import serve_pages

    runner = CliRunner()
    home = tmp_path_factory.mktemp("e2e") / "home"
    sources = home.parent / "sources.toml"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPPO_HOME", str(home))
        mp.setenv("IPPO_SOURCES", str(sources))
        with serve_pages(port=0) as base:
            sources.write_text(
                f'[sources.local]\nspider = "jsonld"\nurls = ["{base}/sitemap.xml"]\n'
                '[sources.local.settings]\nDOWNLOAD_DELAY = 0\nAUTOTHROTTLE_ENABLED = false\n',
                encoding="utf-8",
            )
            crawled = runner.invoke(app, ["crawl", "local"])
        assert crawled.exit_code == 0, crawled.output
        loaded = runner.invoke(app, ["load", "--json"])
        assert loaded.exit_code == 0, loaded.output
        report = json.loads(loaded.stdout)
        assert report["totals"]["new"] == 6
        published = runner.invoke(app, ["publish"])
        assert published.exit_code == 0, published.output
    return home
