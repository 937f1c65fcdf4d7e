"""Accessibility as a test (issue 18): axe-core's WCAG 2.1 A and AA rules report nothing on the
pages of every role in both languages, and a request can be filed with the keyboard alone."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.pages import ROLES, walk

AXE_VERSION = "4.14.1"  # tests/web/vendor/README.md
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the loaded page, one line each (rule: elements).

    The script is evaluated through the browser's debugging protocol, which the portal's
    Content-Security-Policy (script-src 'self') rightly does not allow a page to do itself."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
            for v in result["violations"]]


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"], ids=["ja", "en"])
@pytest.mark.parametrize("role", list(ROLES), ids=[r.replace(" ", "-") for r in ROLES])
def test_axe_reports_nothing_on_the_pages_of_each_role(live_server, browser, role, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    try:
        sign_in(page, live_server, ROLES[role])
        if locale == "en-US":
            page.get_by_role("button", name="English").click()
        visited = walk(page, live_server,
                       lambda path: found.update({path: v} if (v := axe_violations(page)) else {}))
        page.goto(f"{live_server}/requests/new")
        found.update({"/requests/new": v} if (v := axe_violations(page)) else {})
    finally:
        context.close()
    assert len(visited) >= 5
    assert found == {}, "\n".join(f"{path}: {line}" for path, lines in found.items() for line in lines)


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
