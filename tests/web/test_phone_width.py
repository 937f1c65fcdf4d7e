"""Defects 7 and 8 of issue 18 on a phone and at desktop width: the severities only for incidents
and the subject on the first screen; a long subject wraps instead of widening the staff queue.
(Every page of every role at 390 px: test_pages_of_every_role.py.)"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.pages import PHONE


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
