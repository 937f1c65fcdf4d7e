"""Browser journeys: the portal served on 127.0.0.1 by a real server thread, driven in Debian's
Chromium through Playwright."""
from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
# The demo data is laid out around "now" (previous months' history, this month's requests, a
# maintenance notice three days ahead). The journeys travel to dates of their own, so the data
# is seeded at one fixed instant: what they find does not depend on the day the suite runs.
SEEDED_AT = datetime(2026, 10, 14, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


_LIVE: dict = {}


@pytest.fixture(scope="session")
def live_server(_app):
    """The portal with the demo data, served from a thread."""
    from portal.core import clock
    from portal.demo import seed

    _LIVE["app"] = _app
    clock.travel_to(SEEDED_AT)
    try:
        with _app.app_context():
            seed()
    finally:
        clock.travel_to(None)
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, locale: str):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture()
def ja_page(browser):
    context, page = _page(browser, "ja-JP")
    yield page
    context.close()


@pytest.fixture()
def en_page(browser):
    context, page = _page(browser, "en-US")
    yield page
    context.close()


@pytest.fixture()
def at():
    """Travel the portal's clock (the live server runs in this process); back to now after."""
    from portal.core import clock

    yield clock.travel_to
    clock.travel_to(None)


def sign_in(page, base: str, email: str, password: str = "madoguchi-demo") -> None:
    """Sign in through the form; provider staff then type their authenticator app's code (the
    demo's staff share portal.demo.DEMO_TOTP_SECRET)."""
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("button.primary").click()
    if "madoguchi" in email:
        page.wait_for_url("**/login/verify")
        enter_code(page, email)
    page.wait_for_url("**/dashboard**" if "madoguchi" not in email else "**/backoffice**")


def enter_code(page, email: str) -> None:
    """Type the person's current authenticator code on the second-factor page."""
    from tests.conftest import totp_code_for

    with _LIVE["app"].app_context():
        code = totp_code_for(email)
    page.locator("#code").fill(code)
    page.locator("form:has(#code) button[type=submit]").click()


def sign_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
