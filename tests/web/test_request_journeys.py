"""Requests in the browser: filing each severity and seeing its deadline, the allowance warning,
overage and void, and staff answering from the queue."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.web.conftest import SEEDED_AT, sign_in, sign_out

JST = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("severity", "due_ja"),
    [("1", "2026年11月21日 04:00 JST"), ("A", "2026年11月21日 04:00 JST"),
     ("B", "2026年11月24日 11:00 JST"), ("C", "2026年11月24日 13:00 JST")],
    ids=["sev-1", "sev-A", "sev-B", "sev-C"])
def test_contact_files_each_severity_in_japanese_and_sees_the_deadline(
        live_server, ja_page, at, severity, due_ja):
    at(datetime(2026, 11, 21, 3, 0, tzinfo=JST))  # Saturday night
    page = ja_page
    sign_in(page, live_server, "contact@kitsune.example")
    page.goto(f"{live_server}/requests/new")
    page.get_by_role("radio", name="インシデント").check()
    page.locator(f"input[name=severity][value='{severity}']").check()
    page.get_by_label("件名").fill(f"深刻度 {severity} の障害")
    page.get_by_label("内容").fill("業務に影響があります。")
    page.get_by_role("button", name="依頼を送信").click()
    expect(page.get_by_text("を受け付けました")).to_be_visible()
    expect(page.get_by_test_id("deadline")).to_contain_text(due_ja)


def test_english_contact_files_an_incident_and_sees_the_deadline_in_english(
        live_server, en_page, at):
    at(datetime(2026, 11, 20, 16, 30, tzinfo=JST))
    page = en_page
    sign_in(page, live_server, "en.contact@acme.example")
    page.goto(f"{live_server}/requests/new")
    page.get_by_role("radio", name="Incident").check()
    page.locator("input[name=severity][value='B']").check()
    page.get_by_label("Subject").fill("Printer queue stuck")
    page.get_by_label("Description").fill("Nothing prints since noon.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("deadline")).to_contain_text("Nov 24, 2026, 10:30 AM JST")
    expect(page.get_by_test_id("deadline")).to_contain_text("left (business hours)")


def test_allowance_warning_overage_and_void_in_the_browser(live_server, browser, at):
    at(datetime(2026, 3, 5, 10, 0, tzinfo=JST))  # a month with no demo requests
    customer = browser.new_context(locale="ja-JP").new_page()
    sign_in(customer, live_server, "contact@acme.example")
    for index in range(5):
        customer.goto(f"{live_server}/requests/new")
        customer.get_by_label("件名").fill(f"3月の質問 {index + 1}")
        customer.get_by_label("内容").fill("教えてください。")
        customer.get_by_role("button", name="依頼を送信").click()
        expect(customer.get_by_text("を受け付けました")).to_be_visible()
    customer.goto(f"{live_server}/usage?month=2026-03")
    expect(customer.get_by_test_id("meter")).to_have_text("5 / 5 件使用")
    customer.goto(f"{live_server}/requests/new")
    expect(customer.get_by_test_id("allowance-preview")).to_contain_text(
        "今月6件目の依頼です。超過料金 ￥20,000（税抜）の対象になります。")
    customer.get_by_label("件名").fill("3月の質問 6")
    customer.get_by_label("内容").fill("教えてください。")
    customer.get_by_label("この依頼が超過料金の対象になることを了承します。").check()
    customer.get_by_role("button", name="依頼を送信").click()
    expect(customer.get_by_test_id("allowance")).to_contain_text("超過")
    sixth_url = customer.url
    customer.goto(f"{live_server}/usage?month=2026-03")
    expect(customer.get_by_test_id("overage-fee")).to_have_text("￥20,000")
    expect(customer.get_by_test_id("history-chart")).to_be_visible()

    staff = browser.new_context(locale="ja-JP").new_page()
    sign_in(staff, live_server, "staff@madoguchi.example")
    staff.goto(f"{live_server}/requests?q=3月の質問 2")
    staff.get_by_role("link", name=re.compile(r"ACME-\d+")).first.click()
    staff.get_by_test_id("confirm-void").locator("summary").click()  # it asks first (issue 18)
    staff.get_by_label("無効にする理由").fill("重複した依頼のため")
    staff.get_by_role("button", name="無効", exact=True).click()
    expect(staff.get_by_text("順位が繰り上がりました")).to_be_visible()

    customer.goto(sixth_url)
    expect(customer.get_by_test_id("allowance")).not_to_contain_text("超過")
    customer.goto(f"{live_server}/usage?month=2026-03")
    expect(customer.get_by_test_id("overage-fee")).to_have_text("￥0")
    customer.context.close()
    staff.context.close()


def test_staff_answer_the_severity_1_at_the_top_of_the_queue(live_server, browser, at):
    at(datetime(2026, 2, 2, 10, 0, tzinfo=JST))  # earlier than every other request
    customer = browser.new_context(locale="ja-JP").new_page()
    sign_in(customer, live_server, "contact@kitsune.example")
    customer.goto(f"{live_server}/requests/new")
    customer.get_by_role("radio", name="インシデント").check()
    customer.locator("input[name=severity][value='1']").check()
    customer.get_by_label("件名").fill("全拠点で業務停止")
    customer.get_by_label("内容").fill("至急対応をお願いします。")
    customer.get_by_role("button", name="依頼を送信").click()
    at(datetime(2026, 2, 2, 10, 20, tzinfo=JST))

    staff = browser.new_context(locale="ja-JP").new_page()
    sign_in(staff, live_server, "staff@madoguchi.example")
    staff.goto(f"{live_server}/backoffice/queue")
    first_row = staff.get_by_test_id("queue-row").first
    expect(first_row).to_contain_text("全拠点で業務停止")
    expect(first_row).to_contain_text("あと 40分")
    first_row.get_by_role("link").click()
    staff.get_by_label("メッセージ").fill("調査を開始しました。")
    staff.get_by_role("button", name="送信", exact=True).click()
    expect(staff.get_by_test_id("deadline")).to_contain_text("対応開始時間の目標を達成しました")

    customer.reload()
    expect(customer.get_by_text("調査を開始しました。")).to_be_visible()
    customer.goto(f"{live_server}/backoffice/queue")
    expect(customer.get_by_role("heading", name="このページを表示する権限がありません。")).to_be_visible()
    customer.context.close()
    staff.context.close()


def test_maintenance_banner_in_both_languages(live_server, browser, at):
    at(SEEDED_AT)  # the demo notice starts three days later: the banner announces it
    for locale, email, text in (("ja-JP", "admin@acme.example", "クラウド基盤の定期メンテナンス"),
                                ("en-US", "en.contact@acme.example",
                                 "Scheduled cloud platform maintenance")):
        page = browser.new_context(locale=locale).new_page()
        sign_in(page, live_server, email)
        expect(page.get_by_test_id("maintenance-banner")).to_contain_text(text)
        sign_out(page)
        page.context.close()


def test_typing_a_subject_shows_the_organisations_similar_open_requests(live_server, ja_page, at):
    """"Already asked?": the form fetches the organisation's open requests like the subject."""
    at(datetime(2026, 11, 24, 10, 0, tzinfo=JST))
    page = ja_page
    sign_in(page, live_server, "contact@kitsune.example")
    page.goto(f"{live_server}/requests/new")
    page.get_by_label("件名").fill("ファイアウォールの例外設定が反映されない")
    page.get_by_label("内容").fill("設定後も通信が遮断されます。")
    page.get_by_role("button", name="依頼を送信").click()
    expect(page.get_by_text("を受け付けました")).to_be_visible()
    number = re.search(r"KITSUNE-\d+", page.content()).group(0)
    page.goto(f"{live_server}/requests/new")
    page.get_by_label("件名").press_sequentially("ファイアウォール 例外", delay=20)
    hint = page.locator("#similar-open")
    expect(hint).to_contain_text("同様の対応中の依頼")
    expect(hint.get_by_role("link", name=number)).to_be_visible()
