"""Screenshots of the page's main screens at a phone's and a desktop's width, in Japanese and
English, into docs/screenshots/ (run: .venv/bin/python -m tests.page.screenshots). Uses the
system's Chromium and the page tests' snapshot (tests/page/served.py)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from api.page.catalogue import Words
from tests.page.browser import chromium_path
from tests.page.served import page_server

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


def _shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)


def _walk(browser: Any, base: str, language: str, width: str) -> None:
    t = Words("ja" if language == "ja" else "en")
    context = browser.new_context(viewport=WIDTHS[width], locale="ja-JP" if language == "ja" else "en-US")
    page = context.new_page()
    page.goto(base + "/")
    _shoot(page, f"home-{language}-{width}")
    page.get_by_role("button", name=t("home.start"), exact=True).click()
    page.get_by_role("link", name=t("home.start"), exact=True).click()
    wanted = "データ入力、図書館の補助" if language == "ja" else "data entry"
    page.get_by_label(t("step.work.titles_label")).fill(wanted)
    page.get_by_role("button", name=t("step.save"), exact=True).click()
    page.get_by_label(t("need.career_gap_ok")).check()
    page.get_by_role("button", name=t("step.save"), exact=True).click()
    _shoot(page, f"health-consent-{language}-{width}")
    page.goto(base + "/me/jobs")
    _shoot(page, f"jobs-{language}-{width}")
    page.goto(base + "/me/delete")
    _shoot(page, f"delete-{language}-{width}")
    context.close()


def main() -> int:
    executable = chromium_path()
    if executable is None:
        print("needs the system chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, page_server(Path(folder) / "home") as base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for language in ("ja", "en"):
            for width in WIDTHS:
                _walk(browser, base, language, width)
        browser.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
