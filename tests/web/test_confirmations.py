"""Defect 9 of issue 18: an irreversible action asks first and says what follows; the first
button only opens the question (keyboard: Enter), the action happens on the second."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.web.conftest import sign_in

TITLE = "確認テスト用 アウトブリーフ"


def _delivered_outbrief(app) -> int:
    """A delivered outbrief of acme's, for this test alone (the demo's stays as it is)."""
    from sqlalchemy import select

    from portal.accounts.models import Organization, Role, User
    from portal.core import clock
    from portal.db import db
    from portal.documents import services
    from portal.documents.demo import FINDINGS, RECOMMENDATIONS
    from portal.documents.interfaces import OutbriefInput

    with app.app_context():
        org = db.session.scalar(select(Organization).where(Organization.slug == "acme"))
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
        today = clock.now().date()
        outbrief = services.create_outbrief(staff, OutbriefInput(
            organization_id=org.id, kind="assessment", title=TITLE,
            engagement_start=today - timedelta(days=5), engagement_end=today - timedelta(days=1),
            summary="確認のテスト。", findings=FINDINGS[:1], recommendations=RECOMMENDATIONS[:1]))
        services.deliver(staff, outbrief)
        db.session.commit()
        return outbrief.id


def test_declining_an_outbrief_asks_first_and_says_the_obligation_lapses(
        live_server, _app, ja_page):
    outbrief_id = _delivered_outbrief(_app)
    page = ja_page
    sign_in(page, live_server, "admin@acme.example")
    page.goto(f"{live_server}/documents")
    row = page.get_by_test_id(f"outbrief-{outbrief_id}")
    question = row.get_by_test_id(f"confirm-decline-{outbrief_id}")
    consequence = question.get_by_text("納入義務は失効します")
    expect(consequence).to_be_hidden()
    question.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the question; nothing is decided yet
    expect(consequence).to_be_visible()
    page.reload()
    expect(row).to_contain_text("納入済み")
    question.locator("summary").click()
    question.get_by_role("button", name="アウトブリーフを受け入れない").click()
    expect(page.get_by_test_id(f"outbrief-{outbrief_id}")).to_contain_text("受け入れ辞退")


def test_voiding_asks_first_and_keeps_the_reason(live_server, ja_page):
    page = ja_page
    sign_in(page, live_server, "staff@madoguchi.example")
    page.goto(f"{live_server}/backoffice/queue")
    page.locator("[data-testid=queue-row] a").first.click()
    question = page.get_by_test_id("confirm-void")
    reason = question.locator("textarea[name=reason]")
    expect(reason).to_be_hidden()
    question.locator("summary").click()
    expect(question).to_contain_text("受付件数の順位から外れます")
    expect(reason).to_be_visible()
    question.get_by_role("button", name="無効", exact=True).click()  # no reason given
    expect(page.get_by_test_id("confirm-void").get_by_role("alert")).to_be_visible()
