"""Passkeys in a real Chromium: its virtual authenticator (the DevTools protocol's WebAuthn
domain) stands in for a security key. A staff member with only a password cannot open the
queue; with a passkey they can. WebAuthn needs a secure context and a domain name as the
relying party: the portal is opened as http://localhost (a secure context; 127.0.0.1 cannot be
a relying-party id)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import enter_code

EMAIL = "passkey.staff@madoguchi.example"
PASSWORD = "madoguchi-demo"


@pytest.fixture()
def base(live_server, _app):
    """The live server under its localhost name, with passkeys bound to that origin."""
    from portal.accounts import services
    from portal.accounts.models import SecondFactor, User
    from portal.db import db
    from portal.demo import DEMO_TOTP_SECRET

    address = live_server.replace("127.0.0.1", "localhost")
    before = _app.config.get("WEBAUTHN_ORIGIN", "")
    _app.config["WEBAUTHN_ORIGIN"] = address
    with _app.app_context():
        if db.session.query(User).filter_by(email=EMAIL).first() is None:
            person = services.create_user(EMAIL, "パスキー 担当", "staff", password=PASSWORD)
            db.session.add(SecondFactor(user_id=person.id, kind="totp", name="TOTP",
                                        secret=DEMO_TOTP_SECRET))
            db.session.commit()
    yield address
    _app.config["WEBAUTHN_ORIGIN"] = before


def _authenticator(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})


def _password(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(re.compile(r"/login/verify$"))


def test_staff_signs_in_with_a_passkey_and_not_with_a_password_alone(base, ja_page):
    page = ja_page
    _authenticator(page)
    _password(page, base)
    page.goto(f"{base}/backoffice/queue")  # a password alone opens nothing
    expect(page).to_have_url(re.compile(r"/login/verify$"))
    enter_code(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/backoffice"))

    page.goto(f"{base}/profile/security/passkey")
    page.get_by_label("このパスキーの名前").fill("仮想キー")
    page.get_by_role("button", name="パスキーを作成").click()
    expect(page.get_by_text("二要素認証を追加しました。")).to_be_visible()
    expect(page.get_by_test_id("factors")).to_contain_text("仮想キー")
    page.get_by_role("button", name="ログアウト").click()

    _password(page, base)
    page.get_by_role("button", name="パスキーを使う").click()
    expect(page).to_have_url(re.compile(r"/backoffice"))
    page.goto(f"{base}/backoffice/queue")
    expect(page).to_have_url(re.compile(r"/backoffice/queue"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
