"""The database does not answer (a PostgreSQL URL on a closed port): every page and API call
answers 503 calmly in the user's language, never a traceback, and a sent form is not lost."""
from __future__ import annotations

import logging
import re
from html import unescape

import pytest

from portal.accounts import services
from tests import factories
from tests.integration.ops.conftest import UNREACHABLE_DB

CALM_JA = "ポータルは一時的に利用できません"
CALM_EN = "The portal is temporarily unavailable"


@pytest.fixture()
def down(make_app, client_for):
    """The same portal (same instance folder and secret key) with its database unreachable."""
    return client_for(make_app(UNREACHABLE_DB))


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _signed_in_cookie(client, email: str) -> str:
    assert client.login(email).status_code == 302
    client.get("/dashboard")
    return client.http.get_cookie("session").value


def _assert_calm(response, text: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert text in page
    assert "Traceback" not in page and "psycopg" not in page and "127.0.0.1:1" not in page
    assert response.headers["Retry-After"].isdigit()
    assert response.headers["X-Request-Id"] in page
    return page


def test_signed_in_page_answers_503_in_japanese(client, down, people):
    down.http.set_cookie("session", _signed_in_cookie(client, "admin@acme.example"))
    page = _assert_calm(down.get("/dashboard"), CALM_JA)
    assert '<html lang="ja">' in page and "データベースに接続できません" in page
    assert 'href="/dashboard">もう一度試す' in page


def test_sign_in_answers_503_in_english_for_an_english_browser(down):
    response = down.post("/login", {"email": "someone@example.jp", "password": "x"},
                         headers={"Accept-Language": "en"})
    page = _assert_calm(response, CALM_EN)
    assert '<html lang="en">' in page and "cannot reach its database" in page
    assert "Send again" in page


def test_signed_in_user_gets_503_in_their_own_language_without_their_menus(client, down,
                                                                           people):
    down.http.set_cookie("session", _signed_in_cookie(client, "contact@kitsune.example"))
    page = _assert_calm(down.get("/dashboard"), CALM_EN)
    assert "Sign out" not in page and people["kitsune"].name not in page


def test_api_answers_503_json(down, people):
    token, _row = services.issue_token(people["staff"], "monitor")
    response = down.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    error = response.json["error"]
    assert error["code"] == "unavailable"
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert response.headers["Retry-After"].isdigit()


def test_failed_sign_in_keeps_the_email_but_never_the_password(down, client, people):
    response = down.post("/login", {"email": "admin@acme.example", "password": "秘密のパスワード"})
    page = _assert_calm(response, CALM_JA)
    assert "admin@acme.example" in page
    assert "秘密のパスワード" not in page
    assert ">csrf_token<" not in page and ">password<" not in page

    form = re.search(r'<form method="post" action="([^"]+)" data-testid="retry-form">(.*?)</form>',
                     page, re.S)
    assert form and form.group(1) == "/login"
    fields = dict(re.findall(r'<textarea name="([^"]+)" hidden>\n(.*?)</textarea>',
                             form.group(2), re.S))
    assert fields == {"email": "admin@acme.example"}

    # Once the database is back, "send again" brings the sign-in form back, filled.
    client.http.set_cookie("session", down.http.get_cookie("session").value)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(2)).group(1)
    again = client.raw_post(form.group(1), data={"csrf_token": unescape(token), **fields})
    assert again.status_code == 422
    assert 'value="admin@acme.example"' in again.get_data(as_text=True)


def test_database_failure_is_logged_once_with_the_request_id(down, caplog):
    with caplog.at_level(logging.INFO):
        response = down.post("/login", {"email": "someone@example.jp", "password": "x"})
    errors = [r for r in caplog.records if r.name == "portal.errors"]
    assert len(errors) == 1 and errors[0].levelno == logging.ERROR
    assert "database unavailable" in errors[0].getMessage()
    assert errors[0].current_request_id == response.headers["X-Request-Id"]
    lines = [r for r in caplog.records if r.name == "portal.request"]
    assert '"status": 503' in lines[-1].getMessage()
