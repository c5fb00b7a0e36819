"""The page tests' server (one per module) and browser (one per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.page.browser import require_chromium
from tests.page.served import page_server


@pytest.fixture(scope="module")
def page_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The served page's base URL and its home (to make API keys in)."""
    home = tmp_path_factory.mktemp("page") / "home"
    with page_server(home) as base:
        yield base, home


@pytest.fixture(scope="module")
def page_base(page_site: tuple[str, Path]) -> str:
    return page_site[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (the dev extra)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
