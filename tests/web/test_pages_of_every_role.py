"""Every page of every role, in Japanese and English, on a phone (390 px): none scrolls sideways
(defect 8 of issue 18) and axe-core's WCAG 2.1 A/AA rules report nothing on it.

One walk per role and language serves both checks. axe runs once per kind of page, side
(customer or staff) and language: the same template seen by a second role of the same side adds
time, not coverage."""
from __future__ import annotations

import pytest

from tests.web.conftest import sign_in
from tests.web.pages import PHONE, ROLES, axe_violations, kind_of, too_wide, walk

CHECKED: set[tuple[str, str, str]] = set()  # (language, side, kind of page) axe has seen


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"], ids=["ja", "en"])
@pytest.mark.parametrize("role", list(ROLES), ids=[r.replace(" ", "-") for r in ROLES])
def test_no_page_scrolls_sideways_and_axe_reports_nothing(live_server, browser, role, locale):
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    side = "staff" if "staff" in role else "customer"
    wide, violations = {}, {}

    def check(path: str) -> None:
        if width := too_wide(page):
            wide[path] = width
        if (locale, side, kind_of(path)) not in CHECKED:
            CHECKED.add((locale, side, kind_of(path)))
            if found := axe_violations(page):
                violations[path] = found

    try:
        sign_in(page, live_server, ROLES[role])
        if locale == "en-US":
            page.get_by_role("button", name="English").click()
        visited = walk(page, live_server, check)
        page.goto(f"{live_server}/requests/new")
        check("/requests/new")
    finally:
        context.close()
    assert len(visited) >= 5
    assert wide == {}, f"pages wider than 390 px by (px): {wide}"
    assert violations == {}, "\n".join(
        f"{path}: {line}" for path, lines in violations.items() for line in lines)
