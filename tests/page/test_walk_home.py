"""Support near home in a real browser (the system's Chromium), in Japanese and English at 320 px:
a person gives the postcode 164-0014 in the place step and sees, above their jobs, the support
offices near 中野区 (real WAM NET rows) with their kind in plain words, distance, hours, phone and
website, and the Hello Work office in charge; an unknown postcode is named back calmly. Every
page passes axe with no serious or critical violation and has no horizontal scroll."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.page.served import page_server
from tests.page.test_walk import Walk


@pytest.fixture(scope="module")
def support_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with page_server(tmp_path_factory.mktemp("page_support") / "home", support=True) as base:
        yield base


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_person_gives_a_postcode_and_sees_support_nearby(browser: Any, support_base: str, language: str) -> None:
    problems: list[str] = []
    walk = Walk(browser, support_base, language, problems)
    t, page = walk.t, walk.page
    walk.goto("/")
    walk.click("button", t("home.start"))
    walk.goto("/me/step/needs")
    page.get_by_label(t("need.career_gap_ok")).check()
    walk.click("button", t("step.save"))

    walk.goto("/me/step/place")
    page.get_by_label(t("step.place.home_label")).fill("999-9999")
    walk.click("button", t("step.save"))
    assert page.get_by_role("alert").inner_text() == t("step.place.home_unknown", value="999-9999")
    home = page.get_by_label(t("step.place.home_label"))
    assert home.input_value() == "999-9999" and home.get_attribute("aria-invalid") == "true"
    home.fill("164-0014")
    page.get_by_label(t("step.place.commute_label")).select_option("20")
    walk.click("button", t("step.save"))
    assert page.url.endswith("/me/step/pay?saved=true")

    walk.goto("/me/jobs")
    support = page.locator("section.support")
    assert support.get_by_role("heading", name=t("support.title")).is_visible()
    text = support.inner_text()
    assert t("support.hellowork", offices="新宿") in text
    offices = support.locator("li.office")
    assert offices.count() >= 3
    names = offices.locator("h3").all_inner_texts()
    assert "ワークステーションJade中野" in names
    assert t("service.shuro_ikou") in text and t("support.home_approx") in text
    jade = offices.filter(has_text="ワークステーションJade中野")
    assert jade.get_by_role("link", name=t("support.link"), exact=False).get_attribute("href") == \
        "https://workstation-jade.com/"
    assert "03-5937-0483" in jade.inner_text()
    walk.close()
    assert problems == []
