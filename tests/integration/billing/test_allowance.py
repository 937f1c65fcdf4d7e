"""The monthly allowance: the warning before overage, acknowledgement, voids, atomic ranks."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 10, 10, 0))
    return factories.two_organizations()


def _fill_month(user, count=5):
    return [file_request(user, acknowledge_overage=True) for _ in range(count)]


def _new(client, **fields):
    data = {"service": "", "kind": "question", "subject": "6件目", "body": "質問です。"}
    data.update(fields)
    return client.post("/requests/new", data, csrf_from="/requests/new")


def test_form_warns_before_the_sixth_and_needs_the_acknowledgement(client, people):
    _fill_month(people["acme_contact"])
    client.login("contact@acme.example")
    form = client.get("/requests/new").get_data(as_text=True)
    assert "今月6件目の依頼です。超過料金 ￥20,000（税抜）の対象になります。" in form
    refused = _new(client)
    assert refused.status_code == 409
    assert "料金を確認のうえ了承してください" in refused.get_data(as_text=True)
    assert 'value="6件目"' in refused.get_data(as_text=True)
    assert db.session.query(Ticket).count() == 5
    accepted = _new(client, acknowledge_overage="y")
    assert accepted.status_code == 302
    sixth = db.session.scalar(select(Ticket).where(Ticket.subject == "6件目"))
    assert (sixth.rank, sixth.overage) == (6, True)


def test_api_answers_409_with_the_fee(client, people):
    _fill_month(people["acme_contact"])
    headers = bearer(people["acme_contact"])
    response = client.raw_post("/api/v1/tickets", headers=headers,
                               json={"kind": "question", "subject": "s", "body": "b"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "overage_confirmation_required"
    assert error["fee"] == {"amount": 20000, "currency": "JPY"}
    accepted = client.raw_post("/api/v1/tickets", headers=headers, json={
        "kind": "question", "subject": "s", "body": "b", "acknowledge_overage": True})
    assert (accepted.status_code, accepted.json["rank"], accepted.json["overage"]) == (201, 6, True)


def test_severity_a_is_never_held_back_and_the_admin_is_told(client, people, smtp_server):
    _fill_month(people["acme_contact"])
    response = client.raw_post("/api/v1/tickets", headers=bearer(people["acme_contact"]), json={
        "kind": "incident", "severity": "A", "subject": "基幹システム停止", "body": "b"})
    assert (response.status_code, response.json["overage"]) == (201, True)
    drain_outbox()
    to_admin = [m for m in smtp_server.messages if m["To"] == "admin@acme.example"]
    assert any("超過" in m["Subject"] for m in to_admin)


def test_void_moves_the_sixth_back_inside_the_allowance(client, people):
    tickets = _fill_month(people["acme_contact"], 6)
    assert tickets[-1].overage
    response = client.raw_post(f"/api/v1/tickets/{tickets[1].id}/void",
                               headers=bearer(people["staff"]), json={"reason": "重複"})
    assert response.json["voided"] is True and response.json["rank"] is None
    db.session.expire_all()
    sixth = db.session.get(Ticket, tickets[-1].id)
    assert (sixth.rank, sixth.overage) == (5, False)
    usage = client.get("/api/v1/usage", headers=bearer(people["acme_admin"])).json
    assert (usage["counted"], usage["overage_fee"]["amount"]) == (5, 0)


def test_void_needs_a_reason_and_staff(client, people):
    ticket = file_request(people["acme_contact"])
    assert client.raw_post(f"/api/v1/tickets/{ticket.id}/void", headers=bearer(people["staff"]),
                           json={}).status_code == 422
    assert client.raw_post(f"/api/v1/tickets/{ticket.id}/void", headers=bearer(
        people["acme_admin"]), json={"reason": "x"}).status_code == 403


def test_usage_page_shows_meter_fee_chart_and_review_banner(client, people):
    _fill_month(people["acme_contact"], 6)
    client.login("admin@acme.example")
    page = client.get("/usage").get_data(as_text=True)
    assert "6 / 5 件使用" in page
    assert "￥20,000" in page
    assert 'data-testid="history-chart"' in page and "2026年11月: 6" in page
    assert 'data-testid="review-banner"' in page


@pytest.mark.parametrize(
    ("received", "month"),
    [(jst(2026, 11, 30, 23, 59, 59), "2026-11"), (jst(2026, 12, 1, 0, 0, 0), "2026-12")],
    ids=["last-second-of-november", "first-second-of-december"],
)
def test_month_is_the_japanese_calendar_month(client, people, received, month):
    clock.travel_to(received)
    assert file_request(people["acme_contact"]).month == month


def test_backup_service_once_a_month_and_not_counted(client, people):
    client.login("contact@acme.example")
    first = _new(client, service="restore", subject="VM をリストアしてください")
    assert first.status_code == 302
    second = _new(client, service="restore", subject="もう一度リストア")
    assert second.status_code == 409
    assert "月1回まで" in second.get_data(as_text=True)
    schedule = _new(client, service="schedule_change", subject="スケジュール変更")
    assert schedule.status_code == 302
    usage = client.get("/api/v1/usage", headers=bearer(people["acme_contact"])).json
    assert usage["counted"] == 0


def test_billing_export_opens_in_excel_with_japanese(client, people):
    _fill_month(people["acme_contact"], 7)
    client.login("staff@provider.example")
    response = client.get("/backoffice/billing.csv?month=2026-11")
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert "株式会社アクメ" in text
    row = next(line for line in text.splitlines() if line.startswith("acme,"))
    assert row.split(",")[3:8] == ["7", "5", "2", "20000", "40000"]


def test_ranks_are_atomic_under_concurrent_filing(app, people):
    """With 4 of 5 used, 8 requests filed at once: ranks 5..12, each exactly once."""
    _fill_month(people["acme_contact"], 4)
    user_id = people["acme_contact"].id
    barrier, errors = threading.Barrier(8), []

    def file_one():
        from portal.accounts.models import User
        from portal.tickets import services

        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                barrier.wait(timeout=10)
                services.file_ticket(user, kind="question", subject="同時", body="b",
                                     acknowledge_overage=True)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=file_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    ranks = sorted(db.session.scalars(select(Ticket.rank).where(Ticket.subject == "同時")))
    assert ranks == list(range(5, 13))


def test_staff_naming_an_unknown_organisation_get_a_404_never_another_one(client, people):
    """The usage page and /api/v1/usage pick an organisation by slug through one function: a
    slug that names none is a 404 (page and API alike), not the first organisation of the list."""
    client.login(people["staff"].email)
    assert client.get("/usage?organization=acme").status_code == 200
    for slug in ("nosuch", "ACME", "acme%00"):
        page = client.get(f"/usage?organization={slug}")
        assert page.status_code == 404, slug
        assert "株式会社アクメ" not in page.get_data(as_text=True)
    headers = bearer(people["staff"])
    assert client.get("/api/v1/usage?organization=acme", headers=headers).status_code == 200
    answer = client.get("/api/v1/usage?organization=nosuch", headers=headers)
    assert answer.status_code == 404 and answer.get_json()["error"]["message"]
    bad_month = client.get("/api/v1/usage?organization=acme&month=２０２６-12", headers=headers)
    assert bad_month.status_code == 422


def test_a_refused_overage_names_the_same_ordinal_above_and_beside_the_box(client, people):
    """Issue 18: with 6 filed, the refusal said "request 8" in the notice above the form and
    "request 7" under the box; both name the 7th, and a second try still offers the 7th."""
    _fill_month(people["acme_contact"], 6)
    client.login("contact@acme.example")
    assert "今月7件目の依頼です。" in client.get("/requests/new").get_data(as_text=True)
    for _attempt in range(2):
        refused = _new(client, subject="7件目")
        assert refused.status_code == 409
        page = refused.get_data(as_text=True)
        assert "今月7件目の依頼です。超過料金" in page  # the notice above the form
        assert "今月7件目の依頼です（契約の受付件数は 5 件）。超過料金 ￥20,000（税抜）" in page  # the error
        assert "8件目" not in page
    accepted = _new(client, subject="7件目", acknowledge_overage="y")
    assert accepted.status_code == 302
    assert db.session.scalar(select(Ticket.rank).where(Ticket.subject == "7件目")) == 7


def test_the_same_ordinal_in_english(client, people):
    _fill_month(people["kitsune_contact"], 6)
    client.login("contact@kitsune.example")
    page = _new(client, subject="seventh").get_data(as_text=True)
    assert "This will be request 7 this month." in page
    assert "This is request 7 of the 5 included this month." in page
    assert "request 8" not in page
