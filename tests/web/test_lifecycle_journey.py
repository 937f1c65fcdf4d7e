"""Issue 18's journey in both languages: a customer files a request in the browser, follows it
to the provider's answer, copies a colleague on it, and reopens it when the answer did not help."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.web.conftest import sign_in

JST = ZoneInfo("Asia/Tokyo")

WORDS = {
    "ja-JP": {"subject": "件名", "body": "内容", "file": "依頼を送信", "message": "メッセージ",
              "send": "送信", "colleague": "同じ組織の方のメールアドレス", "copy": "追加",
              "reopen": "依頼を再開する", "resolved": "解決済み", "in_progress": "対応中"},
    "en-US": {"subject": "Subject", "body": "Description", "file": "Send the request",
              "message": "Message", "send": "Send", "colleague": "A colleague's e-mail address",
              "copy": "Copy", "reopen": "Reopen the request", "resolved": "Resolved",
              "in_progress": "In progress"},
}


def _answer_and_resolve(app, ticket_id: int, answer: str) -> None:
    """Provider staff answer and resolve it (their side of the desk, not this journey's)."""
    from portal.accounts.models import User
    from portal.db import db
    from portal.tickets import services
    from portal.tickets.models import Ticket

    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@madoguchi.example"))
        ticket = db.session.get(Ticket, ticket_id)
        services.add_message(ticket, staff, answer)
        services.change_status(ticket, staff, "resolved")
        db.session.commit()


def _settle(app, ticket_id: int) -> None:
    """Resolved again at the end, so later journeys' staff queues do not see it open."""
    from portal.accounts.models import User
    from portal.db import db
    from portal.tickets import services
    from portal.tickets.models import Ticket

    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@madoguchi.example"))
        services.change_status(db.session.get(Ticket, ticket_id), staff, "resolved")
        db.session.commit()


@pytest.mark.parametrize(("locale", "contact", "colleague", "colleague_name"), [
    ("ja-JP", "contact@kitsune.example", "admin@kitsune.example", "鈴木 健"),
    ("en-US", "en.contact@acme.example", "contact@acme.example", "佐藤 一郎"),
], ids=["ja", "en"])
def test_a_customer_files_follows_copies_a_colleague_and_reopens(
        live_server, browser, at, _app, locale, contact, colleague, colleague_name):
    words = WORDS[locale]
    at(datetime(2026, 4, 13, 10, 0, tzinfo=JST))  # a Monday of a month no other journey uses
    context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, contact)
        page.goto(f"{live_server}/requests/new")
        page.get_by_label(words["subject"]).fill(f"CSV export keeps failing ({locale})")
        page.get_by_label(words["body"], exact=True).fill("The monthly CSV export stops at 80 %.")
        page.get_by_role("button", name=words["file"]).click()
        page.wait_for_url("**/requests/*")
        ticket_id = int(page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])

        at(datetime(2026, 4, 13, 11, 0, tzinfo=JST))
        _answer_and_resolve(_app, ticket_id, "Please retry with the date range split by week.")
        page.reload()  # following it: the answer and the new status are on the page
        expect(page.get_by_text("Please retry with the date range split by week.")).to_be_visible()
        expect(page.get_by_test_id("status")).to_contain_text(words["resolved"])

        page.get_by_label(words["colleague"]).fill(colleague)
        page.locator("#watchers").get_by_role("button", name=words["copy"]).click()
        expect(page.get_by_test_id("watchers")).to_contain_text(colleague_name)

        page.get_by_test_id("reopen").click()
        expect(page.get_by_test_id("status")).to_contain_text(words["in_progress"])
        assert page.get_by_test_id("reopen").count() == 0
        # and the page still fits the phone it was used on
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    _settle(_app, ticket_id)
