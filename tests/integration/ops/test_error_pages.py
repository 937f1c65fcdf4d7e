"""Error pages 403 / 404 / 500 (and the CSRF 400) in both languages, with the request id a user
can quote and the log line that carries it."""
from __future__ import annotations

import json
import logging
import re

import pytest

from portal.ops.logs import JsonFormatter
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture()
def people(app):
    return factories.two_organizations()


@pytest.fixture()
def boom(make_app, database_url, client_for):
    """A portal with one extra, test-only route that fails (never registered in the app)."""
    other = make_app(database_url)

    @other.route("/test-only/boom", methods=["GET", "POST"])
    def explode():
        raise RuntimeError("kaboom: secret internals")

    return client_for(other)


def _reference(response) -> str:
    page = response.get_data(as_text=True)
    request_id = response.headers["X-Request-Id"]
    assert re.search(rf'data-testid="request-id">[^<]*{request_id}<', page)
    return page


@pytest.mark.parametrize(("headers", "title", "advice"), [
    ({}, "お探しのページは見つかりません", "ダッシュボード"),
    (EN, "The page you are looking for does not exist", "Start again from the dashboard"),
], ids=["ja", "en"])
def test_404_page(client, headers, title, advice):
    response = client.get("/no/such/page", headers=headers)
    assert response.status_code == 404
    page = _reference(response)
    assert title in page and advice in page


@pytest.mark.parametrize(("email", "title", "advice"), [
    ("contact@acme.example", "このページを表示する権限がありません", "サポート サービス管理者"),
    ("contact@kitsune.example", "You do not have permission to see this page",
     "support service administrator"),
], ids=["ja", "en"])
def test_403_page_in_the_users_language(client, people, email, title, advice):
    client.login(email)
    response = client.get("/admin/organizations")
    assert response.status_code == 403
    page = _reference(response)
    assert title in page and advice in page


@pytest.mark.parametrize(("headers", "title", "advice"), [
    ({}, "当社側で問題が発生しました", "問い合わせ番号"),
    (EN, "Something went wrong on our side", "quote the reference"),
], ids=["ja", "en"])
def test_500_page_shows_the_reference_and_the_log_carries_it(boom, caplog, headers, title,
                                                             advice):
    with caplog.at_level(logging.INFO):
        response = boom.get("/test-only/boom", headers=headers)
    assert response.status_code == 500
    page = _reference(response)
    assert title in page and advice in page
    assert "kaboom" not in page and "Traceback" not in page

    failure = next(r for r in caplog.records if r.name == "portal.errors")
    line = json.loads(JsonFormatter().format(failure))
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["level"] == "ERROR" and "RuntimeError: kaboom" in line["exception"]
    request_line = json.loads(JsonFormatter().format(
        [r for r in caplog.records if r.name == "portal.request"][-1]))
    assert (request_line["request_id"], request_line["status"]) == \
        (response.headers["X-Request-Id"], 500)


def test_500_after_a_post_keeps_what_was_typed(boom):
    body = "一行目\n二行目\n  字下げした三行目"
    response = boom.post("/test-only/boom", {"subject": "件名", "body": body,
                                             "new_password": "do-not-echo-this"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert 'data-testid="kept-input"' in page
    assert f'<textarea name="body" hidden>\n{body}</textarea>' in page
    assert "do-not-echo-this" not in page
    assert 'action="/test-only/boom" data-testid="retry-form"' in page


def test_refused_csrf_token_shows_the_fields_but_offers_no_resend(client):
    response = client.raw_post("/login", data={"email": "admin@acme.example",
                                               "csrf_token": "forged"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "admin@acme.example" in page and "forged" not in page
    assert "retry-form" not in page
    assert response.headers["X-Request-Id"] in page


def test_request_id_from_the_proxy_is_kept(client):
    response = client.get("/no/such/page", headers={"X-Request-Id": "nginx-4f2a"})
    assert response.headers["X-Request-Id"] == "nginx-4f2a"
    assert "nginx-4f2a" in response.get_data(as_text=True)


def test_log_level_and_json_lines_on_stderr(make_app, database_url, capsys):
    before = logging.getLogger().level
    make_app(database_url, LOG_LEVEL="WARNING")
    try:
        root = logging.getLogger()
        assert root.level == logging.WARNING
        assert len([h for h in root.handlers if getattr(h, "_portal_handler", False)]) == 1
        logging.getLogger("portal.test").info("not shown")
        logging.getLogger("portal.test").warning("ディスクの空きが少なくなっています")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
                 if line.startswith("{")]
        assert [line["message"] for line in lines] == ["ディスクの空きが少なくなっています"]
    finally:
        make_app(database_url, LOG_LEVEL="INFO")
        assert logging.getLogger().level == logging.INFO
        logging.getLogger().setLevel(before)
