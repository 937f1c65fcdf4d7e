"""An administrator books a two-day workshop, then travels in time to cancel it: free on D−14,
the full fee from D−13 on, asked to confirm it; the fee is stored and shown with the month's fees."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.accounts.services import current_contract
from portal.core import clock
from portal.db import db

PASSWORD = "madoguchi-demo"
JST = ZoneInfo("Asia/Tokyo")
TITLE = "ブラウザ検証ワークショップ（2 日間）"


@pytest.fixture()
def first_day(_app, live_server):
    """A new two-day workshop and its session D, in the middle of acme's demo contract; the
    clock stands 30 days before D. The clock returns to real time afterwards."""
    from portal.workshops import catalog

    with _app.app_context():
        acme = db.session.scalar(select(Organization).where(Organization.slug == "acme"))
        contract = current_contract(acme)
        day = contract.term_start + timedelta(days=(contract.term_end - contract.term_start).days // 2)
        clock.travel_to(datetime.combine(day - timedelta(days=30), time(10), JST))
        workshop = catalog.create_workshop(
            None, title_ja=TITLE, title_en="Browser journey workshop (2 days)",
            description_ja="", description_en="", days=2, delivery="remote",
            pricing="per_attendee", price=120_000, capacity=6, min_attendees=1, late_fee_tiers=[])
        catalog.create_session(workshop, None, day)
        db.session.commit()
    yield day
    clock.travel_to(None)


def _at(day, days_before: int, hour: int, minute: int = 0) -> None:
    clock.travel_to(datetime.combine(day - timedelta(days=days_before), time(hour, minute), JST))


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("メールアドレス").fill("admin@acme.example")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def test_administrator_books_then_cancels_after_the_deadline(live_server, ja_page, first_day):
    page = ja_page
    _sign_in(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="ワークショップ").click()

    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row.get_by_test_id("seats-left")).to_have_text("6 / 6")
    row.get_by_role("link", name="予約").click()
    expect(page.get_by_test_id("recording-notice")).to_contain_text("録画や録音はできません")
    page.get_by_label("氏名 1", exact=True).fill("受講 太郎")
    page.get_by_label("メールアドレス 1", exact=True).fill("taro@acme.example")
    page.get_by_label("氏名 2", exact=True).fill("受講 花子")
    page.get_by_label("メールアドレス 2", exact=True).fill("hanako@acme.example")
    page.get_by_role("button", name="予約", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("ワークショップを予約しました")
    expect(page.get_by_test_id("booking-price")).to_have_text("￥240,000")
    booking_url = page.url

    _at(first_day, 14, 23, 59)  # the last minute of D − 14: still free
    _sign_in(page, live_server)  # 16 days later: the session has ended (7 days at most)
    page.goto(booking_url)
    page.get_by_role("link", name="取りやめ・スケジュール変更").click()
    expect(page.get_by_test_id("fee")).to_have_text("無料")
    cancel = page.get_by_test_id("cancel-form")
    expect(cancel.get_by_role("checkbox")).to_have_count(0)

    _at(first_day, 13, 0)  # 00:00 on D − 13: the full fee, to be confirmed
    page.reload()
    expect(page.get_by_test_id("fee")).to_have_text("解約手数料: ￥240,000")
    cancel.get_by_role("button", name="予約を取りやめる").click()
    expect(cancel.get_by_role("alert")).to_contain_text("解約手数料を確認してください")
    cancel.get_by_label(re.compile("解約手数料 ￥240,000.*同意します")).check()
    cancel.get_by_role("button", name="予約を取りやめる").click()

    expect(page).to_have_url(booking_url)
    expect(page.get_by_test_id("booking-status")).to_have_text("取りやめ")
    expect(page.get_by_test_id("fee-charged")).to_have_text("￥240,000 (100%)")
    page.get_by_role("link", name="ワークショップの予約").click()
    page.get_by_role("link", name="すべての開催日程").click()
    expect(page.get_by_test_id("fees-this-month")).to_contain_text("￥240,000")
    expect(page.get_by_role("row").filter(has_text=TITLE).get_by_test_id("seats-left")) \
        .to_have_text("6 / 6")
