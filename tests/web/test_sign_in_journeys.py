"""Sign in, reach the dashboard, sign out — in Japanese and in English, with the keyboard."""
from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "madoguchi-demo"


def test_japanese_administrator_signs_in_and_out(live_server, ja_page):
    page = ja_page
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_label("メールアドレス").fill("admin@acme.example")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="ダッシュボード")).to_be_visible()
    expect(page.get_by_test_id("org-name")).to_have_text("株式会社アクメ商事")
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_text("ログアウトしました。")).to_be_visible()


def test_english_contact_signs_in_with_the_keyboard_only(live_server, en_page):
    page = en_page
    page.goto(f"{live_server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("E-mail address").focus()
    page.keyboard.type("en.contact@acme.example")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Welcome, Emily Clark.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wrong_password_is_explained_and_the_field_focused(live_server, ja_page):
    page = ja_page
    page.goto(f"{live_server}/login")
    page.get_by_label("メールアドレス").fill("admin@acme.example")
    page.get_by_label("パスワード").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("alert")).to_contain_text("メールアドレスまたはパスワードが正しくありません")
    expect(page.get_by_label("メールアドレス")).to_have_value("admin@acme.example")
    expect(page.get_by_label("パスワード")).to_be_focused()


def test_language_switch_in_the_header(live_server, ja_page):
    page = ja_page
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_role("heading", name="ログイン")).to_be_visible()
