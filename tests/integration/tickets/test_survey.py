"""The satisfaction survey (rules.md), through a real SMTP server under a travelling clock: asked
once when a request is resolved, one click in the mail records a rating without signing in, a
refused link says why, 14 days to change it, a low rating alerts the provider administrators, and
the figures reach the dashboard, the usage page, the API and the service plan PDF."""
from __future__ import annotations

import re

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.ops.jobs import run_due
from portal.tickets import services
from tests import factories
from tests.helpers import bearer, file_request, jst
from tests.integration.documents.helpers import pdf_text

LINK = re.compile(r"https://portal\.example\.jp(/requests/\d+/survey/\S+)")


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _resolved(people, smtp_server, at=None, requester="acme_contact", subject="操作方法について"):
    """A request filed and resolved by staff; the survey mail that arrived (its links by rating)."""
    clock.travel_to(at or jst(2026, 11, 16, 9, 0))
    ticket = file_request(people[requester], subject=subject)
    services.assign(ticket, people["staff_admin"], people["staff"])
    drain_outbox()
    smtp_server.messages.clear()
    clock.travel_to((at or jst(2026, 11, 16, 9, 0)).replace(hour=15))
    services.change_status(ticket, people["staff"], "resolved")
    db.session.commit()
    run_due("test-runner")  # the runner delivers the mail
    surveys = [m for m in smtp_server.messages if m["To"] == people[requester].email
               and ("満足" in m["Subject"] or "satisfied" in m["Subject"])]
    return ticket, surveys


def _links(message) -> dict[int, str]:
    body = message.get_content()
    return {int(rating): path for rating, path in
            re.findall(r"^([1-5]) .*\n" + LINK.pattern, body, flags=re.MULTILINE)}


def test_a_resolved_request_asks_its_requester_once_and_one_click_records_the_rating(
        app, client, other_client, people, smtp_server):
    ticket, surveys = _resolved(people, smtp_server)
    assert len(surveys) == 1
    mail = surveys[0]
    assert mail["Subject"] == f"[{ticket.number}] 依頼 {ticket.number} の対応にどの程度満足されましたか"
    links = _links(mail)
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert "5 とても満足" in mail.get_content() and "1 とても不満" in mail.get_content()

    clock.travel_to(jst(2026, 11, 17, 8, 0))
    page = client.get(links[4])  # not signed in: one click
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ご評価（4）を保存しました。ありがとうございました。" in text
    assert ticket.number in text

    other_client.login("staff@provider.example")
    dashboard = other_client.get("/backoffice").get_data(as_text=True)
    assert 'data-testid="satisfaction-average">4.0<' in dashboard
    assert f"{ticket.number}</a> · 4 / 5" in dashboard
    assert 'data-testid="satisfaction-chart"' in dashboard

    # reopened and resolved again: not asked a second time
    services.change_status(ticket, people["staff"], "in_progress")
    services.change_status(ticket, people["staff"], "resolved")
    db.session.commit()
    smtp_server.messages.clear()
    run_due("test-runner")
    assert [m for m in smtp_server.messages if "満足" in m["Subject"]] == []


def test_the_link_page_takes_a_comment_and_a_change_within_14_days(
        app, client, people, smtp_server):
    ticket, surveys = _resolved(people, smtp_server)
    links = _links(surveys[0])
    assert client.get(links[5]).status_code == 200
    clock.travel_to(jst(2026, 11, 20, 10, 0))
    changed = client.post(links[5], {"rating": "3", "comment": "回答は早かったが手順が不明瞭"},
                          csrf_from=links[5])
    assert changed.status_code == 200
    assert "ご評価（3）を保存しました。" in changed.get_data(as_text=True)

    client.login("contact@acme.example")
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "評価：5 段階中 3 — 回答は早かったが手順が不明瞭" in page
    assert re.search(r'<input checked[^>]*value="3"', page)  # the form, filled with the answer


def test_an_expired_altered_or_other_request_link_is_refused_with_a_clear_page(
        app, client, people, smtp_server):
    ticket, surveys = _resolved(people, smtp_server)
    other, _mails = _resolved(people, smtp_server, at=jst(2026, 11, 17, 9, 0), subject="別件")
    link = _links(surveys[0])[2]

    altered = client.get(link[:-3] + ("xyz" if not link.endswith("xyz") else "abc"))
    assert altered.status_code == 400
    assert "このアンケートのリンクは無効です" in altered.get_data(as_text=True)

    elsewhere = client.get(link.replace(f"/requests/{ticket.id}/", f"/requests/{other.id}/"))
    assert elsewhere.status_code == 400
    assert "別の依頼のアンケートのリンクです" in elsewhere.get_data(as_text=True)

    clock.travel_to(jst(2026, 11, 30, 15, 0, 1))  # 14 days and a second after it was sent
    expired = client.get(link)
    assert expired.status_code == 410
    assert "このアンケートのリンクは有効期限が切れています" in expired.get_data(as_text=True)
    client.login("contact@acme.example")
    assert "アンケートは解決から 14 日で締め切りました。" in client.get(
        f"/requests/{ticket.id}").get_data(as_text=True)


def test_a_rating_of_1_or_2_alerts_the_provider_administrators_once(
        app, client, people, smtp_server):
    ticket, _surveys = _resolved(people, smtp_server)
    client.login("contact@acme.example")
    form = f"/requests/{ticket.id}"
    assert client.post(f"/requests/{ticket.id}/satisfaction", {"rating": "2", "comment": "遅い"},
                       csrf_from=form).status_code == 302
    assert client.post(f"/requests/{ticket.id}/satisfaction", {"rating": "1", "comment": "遅い"},
                       csrf_from=form).status_code == 302
    smtp_server.messages.clear()
    run_due("test-runner")
    alerts = [(m["To"], m["Subject"]) for m in smtp_server.messages]
    assert alerts == [("boss@provider.example",
                       f"[{ticket.number}] [満足度] 依頼 {ticket.number} の評価は 5 段階中 2 でした")]


def test_the_request_page_refuses_no_rating_and_other_people(app, client, people, smtp_server):
    ticket, _surveys = _resolved(people, smtp_server)
    client.login("contact@acme.example")
    empty = client.post(f"/requests/{ticket.id}/satisfaction", {"comment": "コメントだけ"},
                        csrf_from=f"/requests/{ticket.id}")
    assert empty.status_code == 422
    text = empty.get_data(as_text=True)
    assert "1〜5 の評価を選んでください。" in text and "コメントだけ" in text
    client.logout()
    client.login("admin@acme.example")  # the administrator did not file it
    refused = client.post(f"/requests/{ticket.id}/satisfaction", {"rating": "5"},
                          csrf_from=f"/requests/{ticket.id}")
    assert refused.status_code == 403
    assert "依頼を登録した本人だけがアンケートに回答できます。" in refused.get_data(as_text=True)


def test_the_api_rates_and_staff_read_the_month(app, client, people, smtp_server):
    ticket, _surveys = _resolved(people, smtp_server)
    fox, _mails = _resolved(people, smtp_server, requester="kitsune_contact")
    contact = bearer(people["acme_contact"])
    clock.travel_to(jst(2026, 11, 18, 10, 0))
    answer = client.open("POST", f"/api/v1/tickets/{ticket.id}/satisfaction", headers=contact,
                         json={"rating": 5, "comment": "助かりました"})
    assert answer.status_code == 200, answer.json
    assert answer.json == {"rating": 5, "comment": "助かりました",
                           "rated_at": "2026-11-18T10:00:00+09:00"}
    assert client.open("POST", f"/api/v1/tickets/{ticket.id}/satisfaction", headers=contact,
                       json={"rating": 6}).status_code == 422
    assert client.open("POST", f"/api/v1/tickets/{fox.id}/satisfaction", headers=contact,
                       json={"rating": 1}).status_code == 404  # another organisation's
    client.open("POST", f"/api/v1/tickets/{fox.id}/satisfaction",
                headers=bearer(people["kitsune_contact"]), json={"rating": 2})

    staff = bearer(people["staff"])
    month = client.open("GET", "/api/v1/satisfaction?month=2026-11", headers=staff).json
    assert (month["month"], month["count"], month["average"]) == ("2026-11", 2, 3.5)
    assert month["by_rating"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    acme = client.open("GET", "/api/v1/satisfaction?month=2026-11&organization=acme",
                       headers=staff).json
    assert acme["items"] == [{"ticket": ticket.number, "rating": 5, "comment": "助かりました",
                              "rated_at": "2026-11-18T10:00:00+09:00"}]
    assert client.open("GET", "/api/v1/satisfaction?organization=nobody",
                       headers=staff).status_code == 404
    assert client.open("GET", "/api/v1/satisfaction", headers=contact).status_code == 403


def test_the_customer_administrator_and_the_service_plan_show_the_figures(
        app, client, people, smtp_server):
    ticket, surveys = _resolved(people, smtp_server)
    client.get(_links(surveys[0])[4])
    client.login("admin@acme.example")
    usage = client.get("/usage?month=2026-11").get_data(as_text=True)
    assert 'data-testid="satisfaction-average">4.0<' in usage
    assert "2026年11月: 4.0 (1)" in usage  # the chart's description
    pdf = client.get("/documents/service-plan.pdf?lang=ja")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "この契約期間の顧客満足度" in text
    assert "4.0" in text
