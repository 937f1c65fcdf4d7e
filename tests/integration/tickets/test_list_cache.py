"""The customer's request list is rendered once and then served from memory (docs/performance.md):
what a customer would notice if that went wrong is an old list, someone else's list, or the
wrong language. Every change to a request must show at the very next view."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from portal.accounts.models import Organization
from portal.core import clock
from portal.db import db
from portal.tickets import ranking, services
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))  # a Tuesday, inside business hours
    return factories.two_organizations()


def list_revision(organization_id: int) -> int:
    return db.session.scalar(select(Organization.requests_revision)
                             .where(Organization.id == organization_id))


def _rows(page) -> str:
    """The list's table body: the part served from the cache."""
    html = page.get_data(as_text=True)
    return re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)


def test_every_way_of_changing_a_request_moves_its_organisations_revision(people):
    acme, kitsune = people["acme"], people["kitsune"]
    assert list_revision(acme.id) == 0
    ticket = file_request(people["acme_contact"], subject="最初の依頼")
    filed = list_revision(acme.id)
    assert filed > 0

    services.change_status(ticket, people["staff"], "in_progress")  # the ORM
    db.session.commit()
    by_orm = list_revision(acme.id)
    assert by_orm > filed

    db.session.execute(update(Ticket).where(Ticket.organization_id == acme.id)  # set-based
                       .values(product="Backup").execution_options(synchronize_session=False))
    db.session.commit()
    set_based = list_revision(acme.id)
    assert set_based > by_orm

    db.session.execute(text("UPDATE tickets SET subject = 'SQL' WHERE id = :id"), {"id": ticket.id})
    db.session.commit()
    assert list_revision(acme.id) > set_based
    assert list_revision(kitsune.id) == 0  # another organisation's requests are not touched


def test_a_second_view_is_served_from_memory_and_shows_the_same_rows(client, people, count_queries):
    file_request(people["acme_contact"], subject="プリンターの設定")
    client.login("admin@acme.example")
    first = client.get("/requests")
    with count_queries() as rendered_again:
        second = client.get("/requests")
    with count_queries() as other_order:
        by_deadline = client.get("/requests?sort=due")  # another key: rendered
    assert _rows(second) == _rows(first) and "プリンターの設定" in _rows(second)
    # the cached view skips the count, the page of ids and the rows with their people
    assert rendered_again.count <= other_order.count - 3
    assert "プリンターの設定" in _rows(by_deadline)
    assert "プリンターの設定" not in _rows(client.get("/requests?status=closed"))


def test_a_change_by_anyone_shows_at_the_next_view_within_the_same_minute(client, other_client,
                                                                           people):
    first = file_request(people["acme_contact"], subject="ログイン画面が表示されない")
    client.login("admin@acme.example")
    assert "ログイン画面が表示されない" in _rows(client.get("/requests"))

    # another person of the organisation files a request
    file_request(people["acme_contact"], subject="帳票の出力が遅い")
    assert "帳票の出力が遅い" in _rows(client.get("/requests"))

    # staff answer: the status changes
    other_client.login("staff@provider.example")
    answer = other_client.post(f"/requests/{first.id}/messages", {"body": "確認します。"},
                               csrf_from=f"/requests/{first.id}")
    assert answer.status_code == 302
    row = next(r for r in _rows(client.get("/requests")).split("<tr>") if first.number in r)
    assert "初回応答は目標時間内" in row or "対応中" in row or "お客様の回答待ち" in row

    # staff void it: a set-based UPDATE moves the others' ranks, no ORM object involved
    ranking.void(db.session.get(Ticket, first.id), people["staff"], "重複")
    db.session.commit()
    row = next(r for r in _rows(client.get("/requests")).split("<tr>") if first.number in r)
    assert "無効" in row


def test_staff_see_every_organisations_rows_rendered_fresh(client, people):
    file_request(people["acme_contact"], subject="アクメの依頼")
    file_request(people["kitsune_contact"], subject="北狐の依頼")
    client.login("staff@provider.example")
    rows = _rows(client.get("/requests"))
    assert re.search(r'<a href="/requests/\d+">ACME-1</a>', rows)  # a link, not escaped text
    assert "北狐の依頼" in rows and "株式会社アクメ" in rows
    file_request(people["acme_contact"], subject="もう一件")
    assert "もう一件" in _rows(client.get("/requests"))


def test_language_organisation_and_minute_each_get_their_own_list(client, other_client, people):
    file_request(people["kitsune_contact"], kind="incident", severity="B", subject="VPN が切断される")
    file_request(people["acme_contact"], subject="アクメの依頼")
    client.login("admin@kitsune.example")  # Japanese
    other_client.login("contact@kitsune.example")  # English, same organisation and filters
    japanese = _rows(client.get("/requests"))
    english = _rows(other_client.get("/requests"))
    assert "インシデント" in japanese and "Incident" in english and "Incident" not in japanese
    assert "アクメの依頼" not in japanese + english

    deadline = re.compile(r"<small>(.*?)</small>")
    before = deadline.search(english).group(1)
    clock.travel_to(clock.now() + timedelta(minutes=1))
    after = deadline.search(_rows(other_client.get("/requests"))).group(1)
    assert before != after and "left" in after  # the time left moved on with the minute


def test_pages_link_to_each_other_and_keep_the_filters(client, people):
    for index in range(23):
        file_request(people["acme_contact"], subject=f"質問 {index:02d}", acknowledge_overage=True)
    client.login("admin@acme.example")
    first = client.get("/requests?kind=question").get_data(as_text=True)
    assert "2 ページ中 1 ページ" in first
    link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1)
    assert "kind=question" in link and "page=2" in link
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "質問 00" in second and "質問 22" not in second  # newest first: the oldest on page 2
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_kept_frame_gives_the_page_a_whole_render_gives(app, people):
    """render_kept_page keeps base.html around the list per language, zone, person, roles, page
    and banner, filling in each request's CSRF token and address: byte for byte the whole page."""
    from flask import render_template
    from flask_babel import refresh
    from flask_login import login_user
    from markupsafe import Markup

    from portal.accounts.models import User
    from portal.backoffice.maintenance import create_notice
    from portal.web import render_kept_page

    create_notice(people["staff"], title_ja="DNS 切替", title_en="DNS switch", body_ja="",
                  body_en="", service="", starts_at=jst(2026, 11, 24, 22),
                  ends_at=jst(2026, 11, 24, 23))
    db.session.commit()
    content = Markup("<p>一覧 &amp; list</p>")
    # same name as the administrator, another role: only the navigation tells them apart
    factories.user("namesake@acme.example", "contact", people["acme"], name="admin")
    views = [("admin@acme.example", "/requests", "ja"),  # customer administrator
             ("namesake@acme.example", "/requests", "ja"),
             ("admin@acme.example", "/requests", "en"),  # the same person in English
             ("contact@kitsune.example", "/requests?status=open&q=%22%3Cb%3E", "en"),
             ("contact@acme.example", "/requests", "en")]  # same name, another organisation
    for email, url, language in views * 2:  # the first round keeps the frames, the second is
        person = db.session.scalar(select(User).where(User.email == email))  # served them
        person.locale = language
        db.session.commit()
        with app.test_request_context(url, headers={"User-Agent": "pytest"}):
            login_user(person)
            refresh()  # Flask-Babel keeps the locale on `g`, which this test's app context holds
            kept = render_kept_page("tickets/list.html", content)
            whole = render_template("tickets/list.html", content=content)
            assert kept == whole
            assert "DNS" in kept and 'name="csrf_token" value="' in kept and "\ue000" not in kept
