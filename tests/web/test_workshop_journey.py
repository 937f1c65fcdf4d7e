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


@pytest.fixture()
def small_session(_app, live_server):
    """A session with four seats, 30 days ahead inside acme's contract; its booking page."""
    from portal.workshops import catalog

    with _app.app_context():
        acme = db.session.scalar(select(Organization).where(Organization.slug == "acme"))
        contract = current_contract(acme)
        day = contract.term_start + timedelta(days=(contract.term_end - contract.term_start).days // 2 + 3)
        clock.travel_to(datetime.combine(day - timedelta(days=30), time(10), JST))
        workshop = catalog.create_workshop(
            None, title_ja="行追加の検証（4 席）", title_en="Row journey (4 seats)",
            description_ja="", description_en="", days=1, delivery="remote",
            pricing="per_attendee", price=50_000, capacity=4, min_attendees=1, late_fee_tiers=[])
        row = catalog.create_session(workshop, None, day)
        db.session.commit()
        url = f"{live_server}/workshops/sessions/{row.id}/book"
    yield url
    clock.travel_to(None)


def test_more_rows_keeps_the_attendees_typed(live_server, ja_page, small_session):
    """Issue 18: "行を追加" erased the attendees typed. With JavaScript it adds a row in the page,
    the cursor in it, up to the seats left; everything typed is booked."""
    page = ja_page
    _sign_in(page, live_server)
    page.goto(small_session)
    people = [("受講 太郎", "taro@acme.example"), ("受講 花子", "hanako@acme.example"),
              ("受講 次郎", "jiro@acme.example"), ("受講 四郎", "shiro@acme.example")]
    for number, (name, email) in enumerate(people[:3], start=1):
        page.get_by_label(f"氏名 {number}", exact=True).fill(name)
        page.get_by_label(f"メールアドレス {number}", exact=True).fill(email)
    page.get_by_role("button", name="行を追加").click()
    expect(page.get_by_label("氏名 4", exact=True)).to_be_focused()
    expect(page.get_by_label("氏名 1", exact=True)).to_have_value("受講 太郎")
    expect(page.get_by_label("メールアドレス 3", exact=True)).to_have_value("jiro@acme.example")
    expect(page.get_by_role("button", name="行を追加")).to_be_hidden()  # four seats, four rows
    page.keyboard.type(people[3][0])
    page.get_by_label("メールアドレス 4", exact=True).fill(people[3][1])
    page.get_by_role("button", name="予約", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("ワークショップを予約しました")
    expect(page.get_by_test_id("booking-price")).to_have_text("￥200,000")
    for name, email in people:
        expect(page.get_by_text(f"{name} <{email}>")).to_be_visible()
