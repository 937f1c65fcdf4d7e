"""`flask outbox work` on several servers at once: every mail is sent exactly once, and the
workers stop cleanly when told to (SIGTERM, as systemd does)."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter

from sqlalchemy import func, select

from portal.db import db
from portal.notifications.models import OutboxMail
from portal.notifications.services import enqueue
from tests.integration.ops.conftest import portal_env, start, stop

MAILS = 120


def _log_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _sent() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(OutboxMail.sent_at.is_not(None)))


def test_two_concurrent_workers_never_send_the_same_mail_twice(app, smtp_server, database_url,
                                                               tmp_path):
    env = portal_env(database_url, PORTAL_SMTP_HOST="127.0.0.1",
                     PORTAL_SMTP_PORT=str(app.config["SMTP_PORT"]),
                     PORTAL_INSTANCE_PATH=app.config["INSTANCE_PATH"])
    command = [sys.executable, "-m", "flask", "--app", "portal", "outbox", "work",
               "--interval", "0.1"]
    # A mail server that takes 25 ms per message: one worker alone needs 3 s for the batch, so
    # the other joins in even on a busy machine (both polling every 0.1 s) and the two really
    # race for the same rows.
    smtp_server.delay_s = 0.025
    logs = [tmp_path / "server-1.log", tmp_path / "server-2.log"]
    workers = [start(command, env, log) for log in logs]
    try:
        _wait_for(lambda: all("outbox worker started" in log.read_text() for log in logs), 30,
                  "both workers to start")
        for number in range(MAILS):  # both workers see the whole batch at their next poll
            enqueue(f"user{number}@acme.example", f"お知らせ {number}", "本文\n")
        db.session.commit()
        _wait_for(lambda: _sent() == MAILS, 60, "every mail to be sent")
        time.sleep(0.5)  # a duplicate would arrive now
    finally:
        codes = [stop(worker) for worker in workers]

    assert codes == [0, 0]
    message_ids = Counter(message["Message-ID"] for message in smtp_server.messages)
    assert len(message_ids) == MAILS
    assert max(message_ids.values()) == 1
    recipients = {str(message["To"]) for message in smtp_server.messages}
    assert len(recipients) == MAILS
    per_worker = [sum(int(line["message"].split()[3]) for line in _log_lines(log)
                      if line["message"].startswith("outbox worker sent")) for log in logs]
    assert sum(per_worker) == MAILS and min(per_worker) > 0  # both really took part
    assert all("outbox worker stopped" in log.read_text() for log in logs)


def test_worker_survives_a_database_outage_and_still_stops_cleanly(tmp_path, app):
    from tests.integration.ops.conftest import UNREACHABLE_DB

    log = tmp_path / "worker.log"
    worker = start([sys.executable, "-m", "flask", "--app", "portal", "outbox", "work",
                    "--interval", "0.1"],
                   portal_env(UNREACHABLE_DB, PORTAL_INSTANCE_PATH=app.config["INSTANCE_PATH"]),
                   log)
    try:
        _wait_for(lambda: log.read_text().count("outbox drain failed") >= 2, 30,
                  "two failed rounds")
        assert worker.poll() is None  # still running, will send once the database is back
    finally:
        code = stop(worker)
    assert code == 0
