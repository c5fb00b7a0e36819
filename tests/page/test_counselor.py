"""A counselor in a real browser: the person shares from their page with the counselor's ID, the
counselor signs in once with their key (never put in a URL), sees that person's answers, saved
jobs and jobs, and keeps a note only their key reads; a counselor the person did not share with
gets a page that does not exist. axe and the 320 px width are checked on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ranker.users.api_keys import parse_token
from tests.api.served import issue_key
from tests.page.test_walk import Walk


def test_a_counselor_sees_only_who_shared_and_keeps_private_notes(browser: Any, page_site: tuple[str, Path]) -> None:
    base, home = page_site
    token, other_token = issue_key(home, "counselor"), issue_key(home, "counselor")
    problems: list[str] = []

    person = Walk(browser, base, "ja", problems)
    t, page = person.t, person.page
    person.goto("/")
    person.click("button", t("home.start"))
    person.click("link", t("home.start"))
    page.get_by_label(t("step.work.titles_label")).fill("図書館の資料整理")
    person.click("button", t("step.save"))
    person.goto("/me/share")
    page.get_by_label(t("share.id_label")).fill(str(parse_token(token)))
    person.click("button", t("share.send"))
    assert page.get_by_role("alert").inner_text() == t("share.need_consent")
    page.get_by_label(t("share.id_label")).fill(str(parse_token(token)))
    page.get_by_label(t("share.consent")).check()
    person.click("button", t("share.send"))
    assert str(parse_token(token)) in page.locator("ul.results").inner_text()
    person.goto("/me/saved")

    counselor = Walk(browser, base, "en", problems)
    c, cpage = counselor.t, counselor.page
    counselor.goto("/counselor")
    cpage.get_by_label(c("counselor.key_label")).fill("ippo_k0000000000_" + "x" * 43)
    counselor.click("button", c("counselor.sign_in"))
    assert cpage.get_by_role("alert").inner_text() == c("counselor.bad_key")
    cpage.get_by_label(c("counselor.key_label")).fill(token)
    counselor.click("button", c("counselor.sign_in"))
    assert token not in cpage.url
    links = cpage.locator("ul.steps a")
    assert links.count() == 1
    person_url = links.first.get_attribute("href") or ""
    counselor.click("link", c("counselor.person", n=1), exact=False)
    assert "図書館の資料整理" in cpage.content()
    cpage.get_by_label(c("counselor.note_label")).fill("Prefers mornings; next meeting on Tuesday")
    counselor.click("button", c("counselor.add_note"))
    assert "Prefers mornings" in cpage.locator("section[aria-labelledby=notes]").inner_text()

    other = Walk(browser, base, "en", problems)
    other.goto("/counselor")
    other.page.get_by_label(c("counselor.key_label")).fill(other_token)
    other.click("button", c("counselor.sign_in"))
    assert other.page.locator("ul.steps a").count() == 0
    answer = other.page.goto(base + person_url)
    assert answer is not None and answer.status == 404
    assert "Prefers mornings" not in other.page.content()

    # The person stops sharing: the counselor no longer reaches them.
    person.goto("/me/share")
    person.click("button", t("share.stop"), exact=False)
    assert page.locator("ul.results li").count() == 0
    answer = cpage.goto(base + person_url)
    assert answer is not None and answer.status == 404
    for walk in (person, counselor, other):
        walk.close()
    assert problems == []
