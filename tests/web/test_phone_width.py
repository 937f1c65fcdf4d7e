"""Defect 8 of issue 18: at 390 px (a phone) no page of any role scrolls sideways, in Japanese
or English; a long subject wraps instead of widening the staff queue at 1280 px."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.pages import ROLES, walk

PHONE = {"width": 390, "height": 844}


WIDEST = """() => {
  let widest = null;
  for (const element of document.querySelectorAll("body *")) {
    const right = element.getBoundingClientRect().right;
    if (right > window.innerWidth && (!widest || right > widest.right))
      widest = {right, tag: element.tagName.toLowerCase(), cls: element.className, text: (element.textContent || "").slice(0, 40)};
  }
  return widest;
}"""


def _too_wide(page) -> dict | None:
    """How many pixels the page is wider than the window, and its widest element; None when
    it does not scroll sideways."""
    over = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return {"px": over, "widest": page.evaluate(WIDEST)} if over > 0 else None


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"], ids=["ja", "en"])
@pytest.mark.parametrize("role", list(ROLES), ids=[r.replace(" ", "-") for r in ROLES])
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, role, locale):
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, ROLES[role])
        wide = {}
        if locale == "en-US":
            page.get_by_role("button", name="English").click()
        visited = walk(page, live_server,
                       lambda path: wide.update({path: w} if (w := _too_wide(page)) else {}))
    finally:
        context.close()
    assert len(visited) >= 5
    assert wide == {}, f"pages wider than 390 px by (px): {wide}"


def test_one_long_subject_does_not_crush_the_staff_queue(live_server, ja_page):
    """A subject of one 300-character word wraps inside its column at 1280 px: the page does
    not scroll sideways and the deadline column keeps its width."""
    page = ja_page
    sign_in(page, live_server, "staff@madoguchi.example")
    page.goto(f"{live_server}/backoffice/queue")
    before = page.locator("td.deadline-col").first.bounding_box()["width"]
    page.locator("[data-testid=queue-row] td.subject").first.evaluate(
        "cell => { cell.textContent = 'Outlook' + 'の同期エラー'.repeat(10) + 'x'.repeat(240); }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    after = page.locator("td.deadline-col").first.bounding_box()["width"]
    assert after >= min(before, 140), (before, after)


def test_severity_choices_show_for_incidents_only_and_the_subject_is_on_the_first_screen(
        live_server, browser):
    """Defect 7: `.field{display:flex}` won over the `hidden` attribute, so the severities
    showed for a Q&A and a backup request, and on a phone the subject came 2.5 screens down."""
    context = browser.new_context(locale="ja-JP", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "contact@kitsune.example")
        page.goto(f"{live_server}/requests/new")
        severities = page.locator("fieldset.severities")
        page.get_by_role("radio", name="Q&A").check()
        expect(severities).to_be_hidden()
        assert page.get_by_label("件名").bounding_box()["y"] < PHONE["height"]
        page.get_by_role("radio", name="インシデント").check()
        expect(severities).to_be_visible()
        assert page.get_by_label("件名").bounding_box()["y"] < PHONE["height"]
        page.locator("#service").select_option(index=1)  # a backup service request
        expect(severities).to_be_hidden()
    finally:
        context.close()
