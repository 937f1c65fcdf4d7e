"""Signing in and out: what a person at the login page notices."""
from __future__ import annotations

import math
import time

import pytest

from tests import factories


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def test_sign_in_lands_on_japanese_dashboard(client, people):
    response = client.login("admin@acme.example")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "ダッシュボード" in page
    assert "株式会社アクメ" in page


def test_wrong_password_keeps_email_and_says_why(client, people):
    response = client.login("admin@acme.example", "wrong password!")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "メールアドレスまたはパスワードが正しくありません" in page
    assert 'value="admin@acme.example"' in page


def test_deactivated_person_cannot_sign_in(client, people, app):
    from portal.db import db

    people["acme_contact"].active = False
    db.session.commit()
    assert client.login("contact@acme.example").status_code == 422


def test_repeated_failures_are_throttled_with_429(client, people):
    for _ in range(5):
        assert client.login("admin@acme.example", "nope nope nope").status_code == 422
    blocked = client.login("admin@acme.example")
    assert blocked.status_code == 429
    # issue 18: the page says how long to wait (the limit: 5 failures per 15 minutes), never
    # more than the limit's window, and as the Retry-After header does in whole minutes
    wait = int(blocked.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert f"{math.ceil(wait / 60)} 分待ってから" in blocked.get_data(as_text=True)
    assert "15 分待ってから" in blocked.get_data(as_text=True)


def test_throttling_goes_on_in_memory_while_the_shared_store_is_down(client, people, app, caplog):
    """A Redis that stops answering (here: nothing listens on its port) neither locks everyone
    out nor lets every guess through: sign-ins work, failures are counted in this process, and
    the log says why."""
    from portal.ratelimit import Counter

    kept = app.extensions["rate_limits"]
    app.extensions["rate_limits"] = Counter(dict(
        app.config, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1}))
    try:
        assert client.login("admin@acme.example").status_code == 302
        client.logout()
        for _ in range(5):
            assert client.login("contact@acme.example", "nope nope nope").status_code == 422
        assert client.login("contact@acme.example").status_code == 429
    finally:
        app.extensions["rate_limits"] = kept
    assert "rate-limit storage unreachable" in caplog.text


def test_successful_logins_are_not_throttled(client, people):
    for _ in range(7):
        assert client.login("admin@acme.example").status_code == 302
        client.logout()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/profile", "/profile"), ("https://evil.example/", "/dashboard"),
     ("//evil.example/x", "/dashboard"), ("/\\evil.example", "/dashboard")],
    ids=["local-path", "absolute-url", "scheme-relative", "backslash"],
)
def test_next_only_goes_to_local_paths(client, people, next_url, expected):
    token = client.csrf_token()
    response = client.raw_post(f"/login?next={next_url}", data={
        "csrf_token": token, "email": "admin@acme.example", "password": factories.PASSWORD})
    assert response.headers["Location"] == expected


def test_session_cookie_is_httponly_and_lax_and_renewed(client, people):
    client.get("/login")
    before = client.http.get_cookie("session").value
    response = client.login("admin@acme.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.http.get_cookie("session").value != before


def test_form_without_csrf_token_is_refused(client, people):
    response = client.raw_post("/login", data={"email": "admin@acme.example",
                                                "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "ページを再読み込み" in response.get_data(as_text=True)


def test_pages_carry_security_headers(client, people):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain http here
    assert len(headers.getlist("Content-Security-Policy")) == 1
    secure = client.get("/login", base_url="https://portal.example.jp").headers
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_a_session_past_its_lifetime_signs_out_even_on_a_page_just_opened(client, people, app,
                                                                        monkeypatch):
    """The session cookie of a page opened a moment ago is remembered by the server
    (portal/core/session_cookie.py): its age is still checked on every request."""
    from datetime import timedelta

    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=1))
    client.login("admin@acme.example")
    assert client.get("/requests").status_code == 200
    assert client.get("/requests").status_code == 200
    time.sleep(2.1)
    response = client.get("/requests")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_sign_out_ends_the_session(client, people):
    client.login("admin@acme.example")
    assert client.get("/dashboard").status_code == 200
    assert client.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_anonymous_visitor_is_sent_to_login(client, people):
    response = client.get("/people")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
