"""Shared test fixtures: real pages, a private IPPO_HOME per test, one embedding model per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PAGES = FIXTURES / "pages"
SHARED_DATA = ROOT.parent / "shared" / "data"


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
    from ranker.embedding import Embedder

    model = Embedder()
    model.encode(["load"])
    return model
