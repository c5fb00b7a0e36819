"""The system's Chromium driven by Playwright (never a downloaded browser), with the checks every
page gets: axe (no serious or critical violation) and no horizontal scroll at the width shown."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """The system browser: $IPPO_CHROMIUM, else the first of chromium, chromium-browser, google-chrome."""
    given = os.environ.get("IPPO_CHROMIUM")
    if given:
        return given if os.path.exists(given) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def require_chromium() -> str:
    """The browser's path, or skip naming what is missing (CI installs it: scripts/system-packages.txt)."""
    path = chromium_path()
    if path is None:
        pytest.skip("needs the system chromium (apt-get install chromium; listed in scripts/system-packages.txt)")
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{page.url}: {v['id']} ({v['impact']}) at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
