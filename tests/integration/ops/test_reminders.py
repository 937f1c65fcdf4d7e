"""The reminders the job runner sends by itself, each once, through a real SMTP server under a
travelling clock: an outbrief due in 3 days and overdue, a contract ending in 60 days, a
booking's last free-cancellation day, the "review suggested" notice after a month with overage,
and a mailed overage request whose fee nobody confirmed within 7 days."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from portal.core import clock
from portal.db import db
from portal.mailin import intake
from portal.mailin.models import InboundMail
from portal.notifications.services import drain_outbox
from portal.ops.jobs import run_due
from tests import factories
from tests import mailcorpus as corpus
from tests.helpers import at_once, file_request, jst
from tests.integration.documents.helpers import make_outbrief
from tests.integration.workshops import helpers as workshops


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _passes(smtp_server, *windows, match: str = ""):
    """Run the runner every 5 minutes through each (start, end) window; [(instant, to, subject)]
    of the mail whose subject holds `match` that each pass delivered. (The reminders run every
    15 minutes, the lapse every 5: a window from a whole hour shows the pass that sent.)"""
    arrived = []
    for at in _instants(windows):
        clock.travel_to(at)
        before = len(smtp_server.messages)
        run_due("test-runner")
        arrived += [(at, m["To"], m["Subject"]) for m in smtp_server.messages[before:]
                    if match in m["Subject"]]
    return arrived


def _instants(windows):
    for start, end in windows:
        at = start
        while at <= end:
            yield at
            at += timedelta(minutes=5)


def _quiet(smtp_server):
    drain_outbox()
    smtp_server.messages.clear()


def test_an_outbrief_reminds_its_author_3_days_before_and_when_overdue_once_each(
        app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 9, 10, 0))
    make_outbrief(people["acme"], people["staff"], deliver=False)  # engagement ends 6 Nov: due 16
    _quiet(smtp_server)
    arrived = _passes(smtp_server, (jst(2026, 11, 12, 23, 0), jst(2026, 11, 13, 1, 0)),
                      (jst(2026, 11, 16, 23, 0), jst(2026, 11, 17, 1, 0)), match="アウトブリーフ")
    assert [(at, to) for at, to, _s in arrived] == [
        (jst(2026, 11, 13, 0, 0), "staff@provider.example"),
        (jst(2026, 11, 17, 0, 0), "staff@provider.example")]
    assert "納入期限は 2026年11月16日 です" in arrived[0][2]
    assert arrived[1][2].startswith("[期限超過]")


def test_a_delivered_outbrief_reminds_nobody(app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 9, 10, 0))
    make_outbrief(people["acme"], people["staff"], deliver=True)
    _quiet(smtp_server)
    assert _passes(smtp_server, (jst(2026, 11, 13, 9, 0), jst(2026, 11, 13, 9, 0)),
                   (jst(2026, 11, 17, 9, 0), jst(2026, 11, 17, 9, 0)), match="アウトブリーフ") == []


def test_the_customer_administrator_hears_60_days_before_the_contract_ends(
        app, people, smtp_server):
    _quiet(smtp_server)  # both contracts end on 31 March 2027
    arrived = _passes(smtp_server, (jst(2027, 1, 29, 23, 0), jst(2027, 1, 30, 1, 0)),
                      (jst(2027, 2, 15, 9, 0), jst(2027, 2, 15, 9, 0)), match="契約")
    assert sorted((at, to) for at, to, _s in arrived) == [
        (jst(2027, 1, 30, 0, 0), "admin@acme.example"),
        (jst(2027, 1, 30, 0, 0), "admin@kitsune.example")]
    assert arrived[0][2] == "サポート契約は 2027年3月31日 に終了します：残りのサービスをお申し込みください"
    text = [m for m in smtp_server.messages if m["To"] == "admin@acme.example"][0].get_content()
    assert "（あと 60 日）" in text and "失効し、繰り越されません" in text


def test_the_booker_is_reminded_the_day_before_the_last_free_cancellation_day(
        app, people, smtp_server):
    clock.travel_to(workshops.NOW)
    workshops.book(people["acme_admin"], workshops.session(workshops.workshop()))
    _quiet(smtp_server)  # session 10 December: free until the end of 26 November
    arrived = _passes(smtp_server, (jst(2026, 11, 25, 8, 0), jst(2026, 11, 25, 10, 0)),
                      (jst(2026, 11, 26, 12, 0), jst(2026, 11, 26, 12, 0)),
                      (jst(2026, 11, 27, 9, 0), jst(2026, 11, 27, 9, 0)), match="無料")
    assert [(at, to) for at, to, _s in arrived] == [
        (jst(2026, 11, 25, 9, 0), "admin@acme.example")]
    assert "2026年11月26日 23:59" in arrived[0][2]


def test_after_a_month_with_overage_the_review_notice_goes_out_once(app, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    for number in range(6):  # 5 included: the sixth is overage
        file_request(people["acme_contact"], subject=f"質問 {number}", acknowledge_overage=True)
    file_request(people["kitsune_contact"], subject="within")
    _quiet(smtp_server)
    arrived = _passes(smtp_server, (jst(2026, 11, 30, 23, 0), jst(2026, 12, 1, 1, 0)),
                      (jst(2026, 12, 15, 9, 0), jst(2026, 12, 15, 9, 0)), match="見直し")
    assert sorted(to for _at, to, _s in arrived) == [
        "admin@acme.example", "boss@provider.example", "staff@provider.example"]
    assert {at for at, _to, _s in arrived} == {jst(2026, 12, 1, 0, 0)}
    assert arrived[0][2] == "株式会社アクメ：2026-11 に超過利用がありました（契約内容の見直しのご提案）"


def test_a_mailed_overage_request_not_confirmed_in_7_days_lapses_and_the_sender_is_told(
        app, client, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    for number in range(5):
        file_request(people["acme_contact"], subject=f"質問 {number}")
    subject = "=?UTF-8?B?" + base64.b64encode("6 件目の質問".encode()).decode() + "?="
    raw = corpus.message({"From": "contact@acme.example", "To": "support@provider.example",
                          "Subject": subject, "Message-ID": "<q.6@acme.example>",
                          "Content-Type": "text/plain; charset=utf-8"}, "教えてください。".encode())
    assert intake.take_in(raw).action == "awaiting_fee"
    db.session.commit()
    _quiet(smtp_server)
    arrived = _passes(smtp_server, (jst(2026, 11, 23, 9, 0), jst(2026, 11, 23, 11, 0)),
                      (jst(2026, 11, 24, 10, 0), jst(2026, 11, 24, 10, 0)), match="受け付けられません")
    assert [(at, to) for at, to, _s in arrived] == [
        (jst(2026, 11, 23, 10, 0), "contact@acme.example")]
    assert arrived[0][2] == "メールでのご依頼は受け付けられませんでした：6 件目の質問"
    row = db.session.query(InboundMail).one()
    assert (row.status, row.reason, row.ticket_id) == ("discarded", "lapsed", None)
    link = intake.confirmation_link(row).removeprefix("https://portal.example.jp")
    assert client.get(link).status_code == 410  # the link files nothing any more



def test_two_runners_at_once_send_each_reminder_once(app, _app, people, smtp_server):
    """The reminders run by two runners on two connections at the same instant, without the
    job's claim, the day after a month with overage: the job mark lets one of them send
    (on PostgreSQL with PORTAL_TEST_DATABASE_URL)."""
    import threading

    from portal.billing import reminders

    clock.travel_to(jst(2026, 11, 16, 10, 0))
    for number in range(6):
        file_request(people["acme_contact"], subject=f"質問 {number}", acknowledge_overage=True)
    _quiet(smtp_server)
    ready, errors = threading.Barrier(2), []

    def runner():
        with _app.app_context():
            try:
                ready.wait(timeout=10)
                reminders.remind_contract_end()
                reminders.suggest_reviews()
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    clock.travel_to(jst(2026, 12, 1, 9, 0))
    at_once(runner)
    assert errors == []
    drain_outbox()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "admin@acme.example", "boss@provider.example", "staff@provider.example"]
