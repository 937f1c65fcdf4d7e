"""Take the README's screenshots from a running portal with the demo data.

    PORTAL_URL=http://127.0.0.1:5000 .venv/bin/python scripts/screenshots.py
"""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

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
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, email, path, window in SHOTS:
            context = browser.new_context(locale="ja-JP", viewport=window)
            page = context.new_page()
            page.goto(f"{URL}/login")
            page.fill("#email", email)
            page.fill("#password", "madoguchi-demo")
            page.click("button.primary")
            page.goto(f"{URL}{path}")
            if path == "/requests/new":  # an incident: the severities and their duties show
                page.check("input[name=kind][value=incident]")
                page.locator("fieldset.severities").scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / name), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
