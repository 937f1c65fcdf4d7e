"""The knowledge base in the browser: while a contact types a request, the published article
appears beside the form with what filing would cost; it answers the question, and nothing is
filed. A script written into an article never runs."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.web.conftest import sign_in

JST = ZoneInfo("Asia/Tokyo")


def _use_the_allowance(app) -> int:
    """acme has used at least the month's five requests; returns the next request's rank. The
    requests are then resolved (they still count), so that they do not sit, overdue, at the top
    of the staff queue that later journeys on the same server look at."""
    from portal.accounts.models import User
    from portal.db import db
    from portal.tickets import ranking
    from portal.tickets.models import Status
    from tests.helpers import file_request

    with app.app_context():
        contact = db.session.scalar(select(User).where(User.email == "contact@acme.example"))
        org = contact.organization
        month = ranking.current_month(org)
        while (ranking.preview(org, month, "question", None).rank or 0) <= 5:
            file_request(contact, subject="1月の質問").status = Status.RESOLVED
            db.session.commit()
        return ranking.preview(org, month, "question", None).rank


def _ticket_count(app) -> int:
    from portal.db import db
    from portal.tickets.models import Ticket

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Ticket))


def test_contact_sees_the_article_and_the_fee_while_typing_and_files_nothing(
        live_server, ja_page, at, _app):
    at(datetime(2026, 1, 14, 10, 0, tzinfo=JST))  # before the demo's history
    rank = _use_the_allowance(_app)
    before = _ticket_count(_app)
    page = ja_page
    sign_in(page, live_server, "contact@acme.example")
    page.goto(f"{live_server}/requests/new")
    box = page.get_by_test_id("article-suggestions")
    height = page.locator("#article-suggestions").bounding_box()["height"]
    page.get_by_label("件名").press_sequentially("VPN に接続できない", delay=20)
    link = box.get_by_role("link", name="VPN に接続できない場合")
    expect(link).to_be_visible()
    expect(page.get_by_test_id("filing-cost")).to_contain_text(f"今月 {rank} 件目: 超過料金 ￥20,000（税抜）")
    assert page.locator("#article-suggestions").bounding_box()["height"] >= height - 1
    expect(box.get_by_text("北狐システムズ様")).to_have_count(0)  # another organisation's
    link.focus()  # reachable from the keyboard
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="VPN に接続できない場合")).to_be_visible()
    page.get_by_role("button", name="はい、解決しました（依頼は送りません）").click()
    expect(page.get_by_text("依頼は送られず")).to_be_visible()
    assert _ticket_count(_app) == before


def test_a_script_in_an_article_never_runs(live_server, ja_page, _app):
    from portal.accounts.models import User
    from portal.db import db
    from portal.knowledge import services

    with _app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@madoguchi.example"))
        article = services.save(staff, services.ArticleText(
            title_ja="スクリプト入りの記事", published=True, body_ja=(
                "<script>window.pwned = 1; alert('script')</script>\n\n"
                '<img src="x" onerror="window.pwned = 2">\n\n'
                "[ここを押す](javascript:window.pwned=3;alert('link'))\n\n"
                "![外の画像](https://evil.example/track.png)")))
        db.session.commit()
        article_id = article.id
    page = ja_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "contact@acme.example")
    page.goto(f"{live_server}/knowledge/{article_id}")
    body = page.get_by_test_id("article-body")
    expect(body).to_contain_text("<script>window.pwned = 1;")  # shown as text
    page.get_by_text("ここを押す").click()
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == []
    assert body.locator("img[src]").count() == 0  # no image from another server
    assert body.locator("a[href^='javascript']").count() == 0
