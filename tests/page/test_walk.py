"""A person's whole way through the page in a real browser (the system's Chromium), in Japanese and
in English, on a phone's width (320 px): start, answer some questions and skip others, consent
before a health need is kept, come back by the private link and by the short code, see ten jobs,
save one, hide one (it never comes back), see the saved list, download everything, delete
everything. Every page passes axe with no serious or critical violation and has no horizontal
scroll."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from api.page.catalogue import Words
from tests.page.browser import horizontal_overflow, serious_violations

PHONE = {"width": 320, "height": 720}


class Walk:
    """One browser context: every page it reaches is checked (axe, width) before going on."""

    def __init__(self, browser: Any, base: str, language: str, problems: list[str]) -> None:
        self.base = base
        self.t = Words("ja" if language == "ja" else "en")
        self.context = browser.new_context(viewport=PHONE, locale="ja-JP" if language == "ja" else "en-US",
                                           accept_downloads=True)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems = problems

    def check(self) -> None:
        assert self.page.locator("html").get_attribute("lang") == self.t.language
        self.problems += serious_violations(self.page)
        overflow = horizontal_overflow(self.page)
        if overflow > 0:
            self.problems.append(f"{self.page.url}: {overflow} px wider than 320 px")

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.check()

    def click(self, role: str, name: str, exact: bool = True) -> None:
        self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.check()

    def close(self) -> None:
        self.context.close()


def _titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("ol.results h2").all_inner_texts()]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_person_walks_through_the_page(browser: Any, page_base: str, language: str) -> None:
    problems: list[str] = []
    walk = Walk(browser, page_base, language, problems)
    t, page = walk.t, walk.page
    walk.goto("/")
    assert len(page.content().encode()) < 100_000

    # Start: the private link and the short code are shown once.
    walk.click("button", t("home.start"))
    link = page.locator("#private-link").inner_text().strip()
    code = page.locator("#short-code").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/r/[A-Za-z0-9_-]{32}", link)
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code)

    # The questions: some answered, some skipped, the health need only with consent.
    walk.click("link", t("home.start"))
    wanted = "データ入力、図書館の補助" if language == "ja" else "data entry"
    page.get_by_label(t("step.work.titles_label")).fill(wanted)
    walk.click("button", t("step.save"))
    assert page.get_by_role("status").inner_text() == t("step.saved")
    page.get_by_label(t("need.career_gap_ok")).check()
    walk.click("button", t("step.save"))
    page.get_by_label(t("need.on_the_job_support")).check()
    walk.click("button", t("step.save"))
    assert page.get_by_role("alert").inner_text() == t("step.health.need_consent")
    assert page.get_by_label(t("need.on_the_job_support")).is_checked()
    page.get_by_label(t("step.health.consent")).check()
    walk.click("button", t("step.save"))
    walk.click("button", t("step.skip"))  # interests
    page.get_by_label(t("step.hours.hours_label")).fill("20")
    walk.click("button", t("step.save"))
    walk.click("button", t("step.skip"))  # place
    walk.click("button", t("step.skip"))  # pay
    assert page.url.endswith("/me")
    statuses = page.locator(".steps .status").all_inner_texts()
    assert statuses == [t("me.answered"), t("me.answered"), t("me.answered"), t("me.not_yet"), t("me.answered"),
                        t("me.not_yet"), t("me.not_yet")]
    walk.close()

    # Back by the private link, in a browser that knows nothing yet.
    walk = Walk(browser, page_base, language, problems)
    walk.page.goto(link)
    walk.check()
    walk.click("link", t("home.open_continue"))
    assert walk.page.locator(".steps .status.done").count() == 4
    walk.close()

    # Back by the short code (typed in lower case, without dashes).
    walk = Walk(browser, page_base, language, problems)
    page = walk.page
    walk.goto("/")
    page.get_by_label(t("home.code_label")).fill(code.replace("-", "").lower())
    walk.click("button", t("home.resume"))
    assert page.url.endswith("/me")

    # Ten jobs, with the listing's own words quoted; save one, hide another.
    walk.click("link", t("me.see_jobs"))
    results = page.locator("ol.results > li")
    assert results.count() == 10
    assert "ブランクのある方も歓迎します" in page.locator("ol.results").inner_text()
    first, second = _titles(page)[:2]
    results.nth(0).get_by_role("button", name=t("jobs.save")).click()
    page.wait_for_load_state()
    walk.check()
    assert results.nth(0).locator(".status.done").inner_text() == t("jobs.saved_already")
    results.nth(1).locator("summary").click()
    results.nth(1).get_by_label(t("reason.hours")).check()
    results.nth(1).get_by_role("button", name=t("jobs.dismiss_send")).click()
    page.wait_for_load_state()
    walk.check()
    shown = _titles(page)
    walk.click("link", t("jobs.more"))
    shown += _titles(page)
    assert second not in shown and first in shown
    assert len(shown) == len(set(shown)) == 13  # 14 listings, one hidden

    # The saved list.
    walk.click("link", t("site.nav_saved"))
    assert page.locator("ul.results h2").all_inner_texts() == [first]
    walk.click("button", t("saved.applied"), exact=False)
    assert page.locator(".status.done").inner_text() == t("saved.applied_already")

    # Download everything.
    walk.click("link", t("site.nav_data"))
    with page.expect_download() as download:
        page.get_by_role("link", name=t("data.export"), exact=True).click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["profile"]["needs"] == ["career_gap_ok", "on_the_job_support"]
    assert exported["profile"]["consent"] == {"sensitive_needs": True}
    assert [(f["action"], f.get("reason")) for f in exported["feedback"]] == [
        ("saved", None), ("dismissed", "hours"), ("applied", None)]
    assert exported["owner"].startswith("page:w")

    # Delete everything, after a calm confirmation; the link opens nothing afterwards.
    walk.click("link", t("data.delete"))
    walk.click("button", t("data.confirm"))
    assert page.get_by_role("status").inner_text() == t("data.deleted")
    walk.page.goto(link)
    walk.check()
    assert t("home.link_unknown") in page.content()
    walk.close()

    assert problems == []
