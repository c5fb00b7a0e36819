"""The page by keyboard alone, in the system's Chromium: Tab reaches every control of a page, in the
order they stand, each with a visible focus outline, and a person can start and answer a question
without a mouse."""

from __future__ import annotations

from typing import Any

from api.page.catalogue import Words

# What Tab can reach on a page: the same list the browser uses for sequential focus.
_FOCUSABLE = ("a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
              "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])")
_OUTLINE = ("e => { const s = getComputedStyle(e); "
            "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }")


def _tab_through(page: Any) -> tuple[list[int], list[int], list[int]]:
    """The page's visible controls numbered in document order; the numbers Tab focuses, in order,
    until it leaves the page or comes back; and the focused ones without a visible outline."""
    count = page.evaluate(
        """sel => { let n = 0; for (const e of document.querySelectorAll(sel)) {
               const r = e.getBoundingClientRect(); const skip = e.classList.contains('skip');
               if (skip || (r.width > 0 && r.height > 0)) e.dataset.kb = String(n++); }
             return n; }""", _FOCUSABLE)
    reached: list[int] = []
    unmarked: list[int] = []
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement && document.activeElement.dataset.kb")
        if mark is None or int(mark) in reached:
            break
        reached.append(int(mark))
        if not page.evaluate(f"() => ({_OUTLINE})(document.activeElement)"):
            unmarked.append(int(mark))
    return list(range(count)), reached, unmarked


def test_tab_reaches_every_control_in_order_with_a_visible_focus(browser: Any, page_base: str) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-US")
    page = context.new_page()
    try:
        t = Words("en")
        page.goto(page_base + "/")
        controls, reached, unmarked = _tab_through(page)
        assert len(controls) >= 3
        assert (reached, unmarked) == (controls, [])
        # Start by keyboard, then go on to the first question and answer it by keyboard.
        page.get_by_role("button", name=t("home.start"), exact=True).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.get_by_role("link", name=t("home.start"), exact=True).first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        controls, reached, unmarked = _tab_through(page)
        assert len(controls) >= 5
        assert (reached, unmarked) == (controls, [])
        page.get_by_label(t("step.work.titles_label")).focus()
        page.keyboard.type("data entry")
        page.get_by_role("button", name=t("step.save"), exact=True).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("status").inner_text() == t("step.saved")
    finally:
        context.close()
