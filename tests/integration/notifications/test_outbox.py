"""Mail goes through the outbox: an SMTP outage never loses or blocks a request."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.notifications.models import OutboxMail
from portal.notifications.services import drain_outbox
from tests import factories
from tests.conftest import _free_port
from tests.helpers import jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    return factories.two_organizations()


def _file(client):
    client.login("contact@acme.example")
    return client.post("/requests/new", {"service": "", "kind": "question", "subject": "障害時の質問",
                                         "body": "本文"}, csrf_from="/requests/new")


def test_smtp_outage_keeps_the_request_and_retries_the_mail(client, people, app, smtp_server):
    real_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _free_port()  # nothing listens there
    assert _file(client).status_code == 302
    assert drain_outbox() == 0
    mails = db.session.scalars(select(OutboxMail)).all()
    assert mails and all(m.sent_at is None and m.attempts == 1 and m.last_error for m in mails)

    app.config["SMTP_PORT"] = real_port
    assert drain_outbox() == 0  # not due yet: retries back off
    clock.travel_to(clock.now() + timedelta(minutes=3))
    assert drain_outbox() == len(mails)
    assert {m["To"] for m in smtp_server.messages} == {  # the staff, and the filing receipt
        "staff@provider.example", "boss@provider.example", "contact@acme.example"}


def test_names_and_subjects_cannot_inject_headers(client, people, smtp_server):
    from portal.tickets import services

    evil = factories.user("evil@acme.example", "contact", people["acme"],
                          name="Evil\r\nBcc: victim@example.com")
    services.file_ticket(evil, kind="question", subject="Hi\r\nBcc: victim@example.com",
                         body="b")
    db.session.commit()
    drain_outbox()
    for message in smtp_server.messages:
        assert message["Bcc"] is None
        assert "\n" not in message["Subject"]


def test_two_drains_at_once_send_each_mail_once(client, people, app, smtp_server):
    import threading

    _file(client)
    count = db.session.query(OutboxMail).count()

    def drain():
        with app.app_context():
            drain_outbox()
            db.session.remove()

    threads = [threading.Thread(target=drain) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(smtp_server.messages) == count


def _no_one_else_writing(database_url: str, mail_id: int) -> None:
    """Raises at once if another connection holds the database (SQLite) or the mail's row
    (PostgreSQL) for writing: no waiting, so a held lock cannot hide behind a timeout."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, or "locked"
            else:
                connection.execute(text("SELECT id FROM outbox_mails WHERE id = :id "
                                        "FOR UPDATE NOWAIT"), {"id": mail_id})
            connection.rollback()
    finally:
        engine.dispose()


def test_a_slow_mail_server_never_holds_the_database(app, people, smtp_server, database_url):
    """While the SMTP server takes its time over a mail, the rest of the portal goes on writing:
    on SQLite a held write lock would make every form wait (and fail after the busy timeout)."""
    import threading

    from portal.notifications.services import enqueue

    enqueue("staff@provider.example", "遅いメールサーバー", "本文\n")
    db.session.commit()
    mail_id = db.session.scalar(select(OutboxMail.id))
    arrived, release = threading.Event(), threading.Event()
    smtp_server.hold = (arrived, release)
    results = []

    def drain():
        with app.app_context():
            results.append(drain_outbox())
            db.session.remove()

    sender = threading.Thread(target=drain)
    sender.start()
    try:
        assert arrived.wait(10), "the mail never reached the SMTP server"
        _no_one_else_writing(database_url, mail_id)  # the mail is mid-delivery right now
    finally:
        release.set()
        sender.join(timeout=30)
    assert results == [1]
    db.session.expire_all()
    mail = db.session.get(OutboxMail, mail_id)
    assert mail.sent_at is not None and mail.attempts == 1 and mail.claimed_until is None
