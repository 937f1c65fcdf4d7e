"""What happens to requests by itself, with the runner going every minute under a travelling
clock and the mail going through a real SMTP server: escalation, the reminder to a customer we
wait for, the auto-close of resolved requests — each once."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import AuditEvent
from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.ops.jobs import run_due
from portal.tickets import automation, services
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import at_once, file_request, jst


@pytest.fixture()
def people(app):
    people = factories.two_organizations()
    people["en_staff"] = factories.user("kate@provider.example", "staff", locale="en", name="Kate")
    return people


def _every_minute(app, smtp_server, start, end):
    """Run `jobs work --once` each minute from start to end; the mail each minute brought."""
    arrived = []
    at = start
    while at <= end:
        clock.travel_to(at)
        before = len(smtp_server.messages)
        run_due("test-runner")
        arrived += [(at, m["To"], m["Subject"]) for m in smtp_server.messages[before:]]
        at += timedelta(minutes=1)
    return arrived


def _file_b(people, at):
    clock.travel_to(at)
    ticket = file_request(people["acme_contact"], kind="incident", severity="B",
                          subject="メールが送信できない")
    drain_outbox()  # the "new request" mail to staff is not what these tests watch
    return ticket


def test_severity_b_alerts_the_assignee_at_1130_and_the_admins_at_1200_once_each(
        app, client, people, smtp_server):
    ticket = _file_b(people, jst(2026, 11, 16, 10, 0))  # Monday
    services.assign(ticket, people["staff_admin"], people["en_staff"])
    db.session.commit()
    smtp_server.messages.clear()

    arrived = _every_minute(app, smtp_server, jst(2026, 11, 16, 10, 0), jst(2026, 11, 16, 13, 0))

    assert [(at, to) for at, to, _subject in arrived] == [
        (jst(2026, 11, 16, 11, 30), "kate@provider.example"),
        (jst(2026, 11, 16, 12, 0), "boss@provider.example"),
    ]
    assert arrived[0][2] == ("[ACME-1] [Escalation] Request ACME-1 has no first reply and 75% of its "
                             "target time has passed")  # Kate reads English
    assert arrived[1][2] == ("[ACME-1] [エスカレーション] "
                             "依頼 ACME-1 は初回回答がないまま対応開始期限に達しました")

    client.login("staff@provider.example")
    queue = client.get("/backoffice/queue").get_data(as_text=True)
    assert 'data-testid="escalated"' in queue and "エスカレーション済み" in queue


def test_no_alert_when_the_request_was_answered_in_time(app, people, smtp_server):
    ticket = _file_b(people, jst(2026, 11, 16, 10, 0))
    clock.travel_to(jst(2026, 11, 16, 11, 0))
    services.add_message(ticket, people["staff"], "確認しています。")
    db.session.commit()
    drain_outbox()
    smtp_server.messages.clear()
    assert _every_minute(app, smtp_server, jst(2026, 11, 16, 11, 0), jst(2026, 11, 16, 12, 30)) == []


def test_without_an_assignee_every_active_staff_member_is_alerted(app, people, smtp_server):
    _file_b(people, jst(2026, 11, 16, 10, 0))
    smtp_server.messages.clear()
    arrived = _every_minute(app, smtp_server, jst(2026, 11, 16, 11, 29), jst(2026, 11, 16, 11, 31))
    assert sorted(to for _at, to, _s in arrived) == [
        "boss@provider.example", "kate@provider.example", "staff@provider.example"]
    assert {at for at, _to, _s in arrived} == {jst(2026, 11, 16, 11, 30)}


def test_the_business_clock_waits_overnight(app, people, smtp_server):
    """Filed Friday 16:00 (severity B, 2 business hours): 75 % is Monday 9:30, the deadline
    Monday 10:00 — nothing over the weekend."""
    _file_b(people, jst(2026, 11, 13, 16, 0))
    smtp_server.messages.clear()
    arrived = []
    for at in (jst(2026, 11, 13, 16, 29), jst(2026, 11, 13, 16, 30), jst(2026, 11, 14, 12, 0),
               jst(2026, 11, 16, 9, 29), jst(2026, 11, 16, 9, 30), jst(2026, 11, 16, 10, 0)):
        clock.travel_to(at)
        before = len(smtp_server.messages)
        run_due("test-runner")
        arrived += [(at, m["To"]) for m in smtp_server.messages[before:]]
    assert (jst(2026, 11, 16, 9, 30), "staff@provider.example") in arrived
    assert {at for at, _to in arrived} == {jst(2026, 11, 16, 9, 30), jst(2026, 11, 16, 10, 0)}


def test_severity_a_alerts_all_staff_at_filing_once(app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    file_request(people["acme_contact"], kind="incident", severity="A", subject="全停止")
    arrived = _every_minute(app, smtp_server, jst(2026, 11, 16, 10, 0), jst(2026, 11, 16, 10, 10))
    urgent = sorted(to for _at, to, subject in arrived if "[至急]" in subject
                    or "[URGENT]" in subject)
    assert urgent == ["boss@provider.example", "kate@provider.example", "staff@provider.example"]


def test_a_request_raised_to_severity_1_later_alerts_all_staff_once(app, people, smtp_server):
    ticket = _file_b(people, jst(2026, 11, 16, 10, 0))
    clock.travel_to(jst(2026, 11, 16, 10, 5))
    services.change_severity(ticket, people["staff"], "1", "全社で利用不可")
    db.session.commit()
    smtp_server.messages.clear()
    arrived = _every_minute(app, smtp_server, jst(2026, 11, 16, 10, 5), jst(2026, 11, 16, 10, 15))
    urgent = sorted(to for _at, to, subject in arrived if "ACME-1" in subject
                    and ("[至急]" in subject or "[URGENT]" in subject))
    assert urgent == ["boss@provider.example", "kate@provider.example", "staff@provider.example"]


def test_two_runners_at_once_never_send_an_alert_twice(app, _app, people, smtp_server):
    """Two runners on two connections at the same instant, and — stronger — the escalation itself
    run by both at once without the job's claim: the job mark lets one of them alert."""
    ticket = _file_b(people, jst(2026, 11, 16, 10, 0))
    services.assign(ticket, people["staff_admin"], people["staff"])
    db.session.commit()
    smtp_server.messages.clear()
    clock.travel_to(jst(2026, 11, 16, 11, 45))
    ready = threading.Barrier(2)
    errors = []

    def runner(work):
        with _app.app_context():
            try:
                ready.wait(timeout=10)
                work()
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    for work in (lambda: run_due("runner-a"), automation.escalate):
        at_once(runner, work)
        assert errors == []
    clock.travel_to(jst(2026, 11, 16, 12, 30))
    for _ in range(2):
        at_once(runner, automation.escalate)
    assert errors == []
    drain_outbox()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "boss@provider.example", "staff@provider.example"]


def _resolve(people, ticket, at):
    clock.travel_to(at)
    services.change_status(ticket, people["staff"], "resolved")
    db.session.commit()
    drain_outbox()


def test_a_request_resolved_on_monday_16_november_closes_on_tuesday_24_november(
        app, client, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 9, 0))
    ticket = file_request(people["acme_contact"])
    _resolve(people, ticket, jst(2026, 11, 16, 15, 0))
    smtp_server.messages.clear()
    ticket_id = ticket.id

    for at in (jst(2026, 11, 20, 15, 0), jst(2026, 11, 23, 18, 0),  # 23 Nov: 勤労感謝の日
               jst(2026, 11, 24, 14, 59)):
        clock.travel_to(at)
        run_due("test-runner")
        assert db.session.get(Ticket, ticket_id).status == "resolved", at
    for at in (jst(2026, 11, 24, 15, 0), jst(2026, 11, 24, 15, 5), jst(2026, 11, 25, 9, 0)):
        clock.travel_to(at)
        run_due("test-runner")
    db.session.expire_all()
    closed = db.session.get(Ticket, ticket_id)
    assert closed.status == "closed"
    assert closed.status_changed_at == jst(2026, 11, 24, 15, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == [  # once, like any status change
        "admin@acme.example", "contact@acme.example"]
    assert "クローズ" in smtp_server.messages[0]["Subject"]
    trail = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "ticket.auto_closed")).all()
    assert [(e.actor_id, e.target_id, e.details["business_days"]) for e in trail] == \
        [(None, ticket_id, 5)]


def test_a_customer_reply_after_resolution_keeps_the_request_open(app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 9, 0))
    ticket = file_request(people["acme_contact"])
    _resolve(people, ticket, jst(2026, 11, 16, 15, 0))
    clock.travel_to(jst(2026, 11, 17, 10, 0))
    services.add_message(ticket, people["acme_contact"], "まだ直っていません。")
    db.session.commit()
    clock.travel_to(jst(2026, 11, 30, 10, 0))
    run_due("test-runner")
    assert db.session.get(Ticket, ticket.id).status != "closed"


def test_provider_admins_set_the_number_of_business_days(app, client, people, smtp_server):
    client.login("boss@provider.example")
    page = client.get("/backoffice/jobs").get_data(as_text=True)
    assert 'name="auto_close_business_days"' in page and 'value="5"' in page
    assert client.post("/backoffice/jobs", {"waiting_reminder_business_days": "3",
                                            "auto_close_business_days": "0"},
                       csrf_from="/backoffice/jobs").status_code == 422  # kept filled, refused
    saved = client.post("/backoffice/jobs", {"waiting_reminder_business_days": "3",
                                             "auto_close_business_days": "2"},
                        csrf_from="/backoffice/jobs")
    assert saved.status_code == 302
    assert "設定を保存しました。" in client.get("/backoffice/jobs").get_data(as_text=True)

    clock.travel_to(jst(2026, 11, 16, 9, 0))
    ticket = file_request(people["acme_contact"])
    _resolve(people, ticket, jst(2026, 11, 16, 15, 0))
    clock.travel_to(jst(2026, 11, 18, 14, 59))
    run_due("test-runner")
    assert db.session.get(Ticket, ticket.id).status == "resolved"
    clock.travel_to(jst(2026, 11, 18, 15, 0))
    run_due("test-runner")
    assert db.session.get(Ticket, ticket.id).status == "closed"
    changed = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "jobs.setting_changed")).all()
    assert [(e.details["name"], e.details["before"], e.details["after"]) for e in changed] == \
        [("auto_close_business_days", 5, 2)]


def test_a_waiting_request_reminds_its_requester_once_per_waiting_period(
        app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 9, 0))
    ticket = file_request(people["kitsune_contact"])  # reads English
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    services.add_message(ticket, people["staff"], "Could you send the logs?")
    services.change_status(ticket, people["staff"], "waiting_for_customer")
    db.session.commit()
    drain_outbox()
    smtp_server.messages.clear()
    ticket_id = ticket.id

    arrived = []
    for at in (jst(2026, 11, 19, 9, 59), jst(2026, 11, 19, 10, 0), jst(2026, 11, 19, 10, 5),
               jst(2026, 11, 20, 10, 0)):
        clock.travel_to(at)
        before = len(smtp_server.messages)
        run_due("test-runner")
        arrived += [(at, m["To"], m["Subject"]) for m in smtp_server.messages[before:]]
    assert arrived == [(jst(2026, 11, 19, 10, 0), "contact@kitsune.example",
                        "[KITSUNE-1] Reminder: request KITSUNE-1 is waiting for your reply")]
    body = smtp_server.messages[-1].get_content()
    assert "waiting for your reply for 3 business days" in body

    # the customer answers, staff ask again: a new waiting period, a new reminder (3 business
    # days from Friday 20 November: the 23rd is a holiday, so Thursday the 26th)
    ticket = db.session.get(Ticket, ticket_id)
    clock.travel_to(jst(2026, 11, 20, 9, 0))
    services.add_message(ticket, people["kitsune_contact"], "Here are the logs.")
    clock.travel_to(jst(2026, 11, 20, 10, 0))
    services.change_status(ticket, people["staff"], "waiting_for_customer")
    db.session.commit()
    drain_outbox()
    smtp_server.messages.clear()
    arrived = []
    for at in (jst(2026, 11, 25, 10, 0), jst(2026, 11, 26, 9, 59), jst(2026, 11, 26, 10, 0),
               jst(2026, 11, 27, 10, 0)):
        clock.travel_to(at)
        before = len(smtp_server.messages)
        run_due("test-runner")
        arrived += [(at, m["To"]) for m in smtp_server.messages[before:]]
    assert arrived == [(jst(2026, 11, 26, 10, 0), "contact@kitsune.example")]
    reminders = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "ticket.reminder_sent")).all()
    assert len(reminders) == 2


def test_one_request_that_fails_to_escalate_does_not_undo_the_others_alerts(
        app, client, people, smtp_server):
    """A savepoint per request: kitsune's broken zone makes its escalation raise; acme's alert
    still goes out once, and the failure is shown with the job on /backoffice/jobs."""
    from sqlalchemy import text

    _file_b(people, jst(2026, 11, 16, 10, 0))
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    fox = file_request(people["kitsune_contact"], kind="incident", severity="B", subject="broken")
    db.session.execute(text("UPDATE organizations SET timezone = 'Mars/Olympus_Mons' "
                            "WHERE id = :id"), {"id": fox.organization_id})
    db.session.commit()
    db.session.expire_all()
    drain_outbox()
    smtp_server.messages.clear()
    arrived = _every_minute(app, smtp_server, jst(2026, 11, 16, 11, 29), jst(2026, 11, 16, 11, 31))
    assert {subject.split("]")[0] for _at, _to, subject in arrived} == {"[ACME-1"}
    assert len(arrived) == 3  # every active staff member (no assignee), once
    client.login("boss@provider.example")
    page = client.get("/backoffice/jobs").get_data(as_text=True)
    assert "KITSUNE-1: ZoneInfoNotFoundError" in page
