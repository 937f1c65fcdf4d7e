"""Take the README's screenshots from a running portal with the demo data.

    PORTAL_URL=http://127.0.0.1:5000 .venv/bin/python scripts/screenshots.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pyotp
from playwright.sync_api import sync_playwright

from portal.demo import DEMO_TOTP_SECRET

URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:5000")
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
SHOTS = (  # (file, login, path, window)
    ("dashboard-ja.png", "admin@acme.example", "/dashboard", DESKTOP),
    ("new-request-ja.png", "contact@acme.example", "/requests/new", DESKTOP),
    ("usage-ja.png", "admin@acme.example", "/usage", DESKTOP),
    ("queue-ja.png", "staff@madoguchi.example", "/backoffice/queue", DESKTOP),
    ("backoffice-ja.png", "staff@madoguchi.example", "/backoffice", DESKTOP),
    ("requests-phone-ja.png", "admin@acme.example", "/requests", PHONE),
    ("request-phone-en.png", "en.contact@acme.example", "/requests?mine=1", PHONE),
    ("profile-ja.png", "contact@acme.example", "/profile", DESKTOP),
    ("audit-ja.png", "staff@madoguchi.example", "/backoffice/organizations/1/audit", DESKTOP),
)


def _signed_in(browser, email: str, locale: str):
    """A browser context signed in as `email`; staff type the demo's authenticator code (a code
    is taken once, so each person signs in once and their shots share the context)."""
    context = browser.new_context(locale=locale, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{URL}/login")
    page.fill("#email", email)
    page.fill("#password", "madoguchi-demo")
    page.click("button.primary")
    page.wait_for_load_state()
    if page.url.endswith("/login/verify"):
        page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.click("form:has(#code) button[type=submit]")
        page.wait_for_load_state()
    page.close()
    return context


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        contexts: dict = {}
        for name, email, path, window in SHOTS:
            locale = "en-US" if name.endswith("-en.png") else "ja-JP"
            if (email, locale) not in contexts:
                contexts[email, locale] = _signed_in(browser, email, locale)
            page = contexts[email, locale].new_page()
            page.set_viewport_size(window)
            page.goto(f"{URL}{path}")
            if path == "/requests/new":  # an incident: the severities and their duties show
                page.check("input[name=kind][value=incident]")
                page.locator("fieldset.severities").scroll_into_view_if_needed()
            if path == "/profile":  # the notification settings
                page.get_by_test_id("mail-settings").scroll_into_view_if_needed()
            if name == "request-phone-en.png":  # the newest of the list: a request's own page
                page.locator("table a[href^='/requests/']").first.click()
                page.wait_for_load_state()
            page.screenshot(path=str(OUT / name), full_page=False)
            page.close()
        for context in contexts.values():
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
