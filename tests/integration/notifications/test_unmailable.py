"""Mail can never jam the outbox: a mail that cannot be built, or whose recipient the server
refuses for good, is marked failed with its reason, and every other mail still goes, at once;
/readyz does not stay 503 because of it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.models import OutboxMail
from portal.notifications.services import MAX_ATTEMPTS, drain_outbox, enqueue
from portal.ops.jobs import run_due
from tests import factories
from tests.conftest import _free_port
from tests.helpers import jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    return factories.two_organizations()


def _queue(*recipients: str) -> list[int]:
    ids = [enqueue(address, f"件名 {index}", "本文\n").id for index, address in enumerate(recipients)]
    db.session.commit()
    return ids


def _mail(mail_id: int) -> OutboxMail:
    db.session.expire_all()
    return db.session.get(OutboxMail, mail_id)


def test_an_unbuildable_mail_is_failed_and_the_others_go(client, people, smtp_server):
    # e.g. an address accepted before addresses were checked at entry
    bad, good, after = _queue("jürgen@kitsune.example", "admin@acme.example", "contact@acme.example")
    assert drain_outbox() == 2
    assert sorted(m["To"] for m in smtp_server.messages) == ["admin@acme.example",
                                                             "contact@acme.example"]
    failed = _mail(bad)
    assert failed.failed_at is not None and failed.sent_at is None
    assert "before the @-sign" in failed.last_error  # the reason, for whoever looks
    assert _mail(good).sent_at and _mail(after).sent_at
    clock.travel_to(clock.now() + timedelta(days=1))
    assert drain_outbox() == 0  # never tried again
    assert _mail(bad).attempts == 1


def test_readyz_stays_ready_behind_an_unbuildable_mail(client, people, smtp_server):
    _queue("jürgen@kitsune.example")
    drain_outbox()
    clock.travel_to(clock.now() + timedelta(hours=2))
    run_due("test-runner")  # a job runner is running, as /readyz wants
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.get_json()


def test_a_recipient_refused_for_good_is_failed_at_once(client, people, smtp_server):
    smtp_server.refused.add("gone@acme.example")
    gone, kept = _queue("gone@acme.example", "admin@acme.example")
    assert drain_outbox() == 1
    failed = _mail(gone)
    assert failed.failed_at is not None and "550" in failed.last_error
    assert _mail(kept).sent_at is not None


def test_an_outage_is_retried_and_given_up_after_the_last_attempt(app, client, people,
                                                                  smtp_server):
    real_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _free_port()  # nothing listens there
    (mail_id,) = _queue("admin@acme.example")
    for _attempt in range(MAX_ATTEMPTS):
        assert _mail(mail_id).failed_at is None  # a temporary failure is retried
        clock.travel_to(_mail(mail_id).next_attempt_at)
        drain_outbox()
    assert _mail(mail_id).failed_at is not None and _mail(mail_id).attempts == MAX_ATTEMPTS
    run_due("test-runner")
    assert client.get("/readyz").status_code == 200  # given up on: not waiting for anyone
    app.config["SMTP_PORT"] = real_port


def test_an_address_with_a_unicode_domain_is_sent_in_its_ascii_form(client, people, smtp_server):
    (mail_id,) = _queue("info@café.example")
    assert drain_outbox() == 1
    assert smtp_server.messages[0]["To"] == "info@xn--caf-dma.example"


def test_a_subject_with_line_breaks_stays_on_one_line(client, people, smtp_server):
    from portal.tickets import services

    services.file_ticket(people["acme_contact"], kind="question",
                         subject="ログインできない\r\nX-Injected: yes\u2028二行目", body="本文")
    db.session.commit()
    drain_outbox()
    assert smtp_server.messages
    for message in smtp_server.messages:
        assert message["X-Injected"] is None
        assert "\n" not in message["Subject"]
        body = message.get_content()
        assert "X-Injected" not in body or "ログインできない X-Injected: yes 二行目" in body
        assert not any(line.startswith("X-Injected") for line in body.splitlines())
