"""Accessibility as a test (issue 18): axe-core's WCAG 2.1 A and AA rules report nothing on the
pages of every role in both languages, and a request can be filed with the keyboard alone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.pages import axe_violations


def test_axe_reports_nothing_on_the_sign_in_page(live_server, ja_page, en_page):
    for page in (ja_page, en_page):
        page.goto(f"{live_server}/login")
        assert axe_violations(page) == []


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (fails after `limit`)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_request_is_filed_with_the_keyboard_only(live_server, en_page):
    page = en_page
    sign_in(page, live_server, "en.contact@acme.example")
    _tab_to(page, "nav a[href='/requests']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests")
    _tab_to(page, "a[href='/requests/new']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/new")
    _tab_to(page, "input[name=kind][value=question]")
    page.keyboard.press("Space")
    expect(page.locator("fieldset.severities")).to_be_hidden()
    _tab_to(page, "#subject")
    page.keyboard.type("Keyboard only: how do I add a shared mailbox?")
    _tab_to(page, "#body")
    page.keyboard.type("Filed without a mouse.")
    _tab_to(page, "button[type=submit].primary")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keyboard only")
