"""Mail the staff deal with: a 25 MB message, blocked senders, backup-service requests by mail."""
from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from portal.db import db
from portal.mailin.models import InboundMail
from portal.tickets.models import Ticket
from tests import factories
from tests import mailcorpus as corpus


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _utf8(subject: str, body: str, message_id: str, sender: str = "contact@acme.example") -> bytes:
    return corpus.message({
        "From": sender, "To": "support@provider.example", "Message-ID": message_id,
        "Subject": "=?UTF-8?B?" + base64.b64encode(subject.encode()).decode() + "?=",
        "Content-Type": "text/plain; charset=utf-8"}, body.encode())


def _tickets() -> list[Ticket]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ticket).order_by(Ticket.id)))


def _large_mail(megabytes: int = 25) -> bytes:
    """A 25 MB mail as a server's log arrives: one text attachment, 8bit, made here (not kept)."""
    line = b"2026-11-27 16:29:59 ERROR 0x80070005 access denied on vm-backup-01\r\n"
    log = line * (megabytes * 1024 * 1024 // len(line) + 1)
    body = (b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "ログ一式を添付します。\r\n".encode()
            + b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
              b"Content-Disposition: attachment; filename=\"server.log\"\r\n"
              b"Content-Transfer-Encoding: 8bit\r\n\r\n" + log + b"--b--\r\n")
    return corpus.message({"From": "contact@acme.example", "To": "support@provider.example",
                           "Subject": "Full server log", "Message-ID": "<large.1@acme.example>",
                           "MIME-Version": "1.0", "Content-Type": "multipart/mixed; boundary=b"}, body)


def test_a_25_mb_mail_is_held_for_its_attachment_and_the_review_page_stays_small(
        people, mail_command, client):
    raw = _large_mail()
    assert len(raw) >= 25 * 1024 * 1024
    done = mail_command("receive", stdin=raw)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().strip() == "held: an attachment is larger than the limit"
    assert _tickets() == []
    row = db.session.scalar(select(InboundMail))
    assert row.size == len(raw)
    client.login("staff@provider.example")
    page = client.get(f"/backoffice/mail/{row.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(html) < 1024 * 1024
    assert "ログ一式を添付します。" in html and "server.log" in html
    assert "最初の 256 KB" in html


def test_staff_block_a_sender_and_their_later_mail_is_ignored_with_the_reason(
        people, mail_command, client, smtp_server):
    from portal.notifications.services import drain_outbox

    first = _utf8("広告", "お得なご案内です。", "<ad.1@spam.example>", sender="sales@spam.example")
    assert mail_command("receive", stdin=first).stdout.decode().strip() == "held: unknown sender"
    row = db.session.scalar(select(InboundMail))
    client.login("staff@provider.example")
    url = f"/backoffice/mail/{row.id}"
    assert "差出人をブロック" in client.get(url).get_data(as_text=True)
    assert client.post(url, {"action": "block"}, csrf_from=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(InboundMail, row.id).status == "discarded"
    drain_outbox()
    answered = len([m for m in smtp_server.messages if m["To"] == "sales@spam.example"])
    again = _utf8("広告 2", "再度のご案内です。", "<ad.2@spam.example>", sender="Sales@SPAM.example")
    assert mail_command("receive", stdin=again).stdout.decode().strip() == \
        "ignored: the sender is blocked"
    drain_outbox()
    assert len([m for m in smtp_server.messages if m["To"] == "sales@spam.example"]) == answered
    listing = client.get("/backoffice/mail", query_string={"status": "ignored"}).get_data(as_text=True)
    assert "ブロックした差出人" in listing
    assert _tickets() == []


def test_staff_unblock_a_sender_from_the_review_page_and_their_next_mail_is_taken_in(
        people, mail_command, client, other_client):
    from portal.accounts.models import AuditEvent
    from portal.mailin.models import BlockedSender

    first = _utf8("広告", "お得なご案内です。", "<ad.1@spam.example>", sender="partner@spam.example")
    assert mail_command("receive", stdin=first).stdout.decode().strip() == "held: unknown sender"
    row = db.session.scalar(select(InboundMail))
    client.login("staff@provider.example")
    url = f"/backoffice/mail/{row.id}"
    assert client.post(url, {"action": "block"}, csrf_from=url).status_code == 302
    listing = client.get("/backoffice/mail").get_data(as_text=True)
    assert "ブロック中の差出人" in listing and "partner@spam.example" in listing
    [blocked] = db.session.scalars(select(BlockedSender)).all()
    unblock_url = f"/backoffice/mail/blocked/{blocked.id}/unblock"
    assert unblock_url in listing
    # a customer cannot, and a POST without the CSRF token does nothing
    other_client.login("admin@acme.example")
    assert other_client.post(unblock_url, {}, csrf_from="/profile").status_code in (403, 404)
    assert client.raw_post(unblock_url, data={}).status_code == 400
    done = client.post(unblock_url, {}, csrf_from="/backoffice/mail")
    assert done.status_code == 302 and done.headers["Location"].endswith("/backoffice/mail?status=held")
    page = client.get("/backoffice/mail").get_data(as_text=True)
    assert "partner@spam.example のブロックを解除しました" in page
    assert "ブロック中の差出人はいません。" in page
    db.session.expire_all()
    assert db.session.scalars(select(BlockedSender)).all() == []
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "mail.sender_unblocked")).all()
    assert event.details["sender"] == "partner@spam.example"
    assert client.post(unblock_url, {}, csrf_from="/backoffice/mail").status_code == 404
    # their next mail goes through the rules again: held as an unknown sender, not ignored
    again = _utf8("ご相談", "取引の件でご相談です。", "<ad.2@spam.example>", sender="partner@spam.example")
    assert mail_command("receive", stdin=again).stdout.decode().strip() == "held: unknown sender"


def test_backup_requests_by_subject_tag_once_a_month_and_converted_by_staff(
        people, mail_command, client):
    restore = _utf8("[バックアップ 復元] vm-01 を昨日の状態に", "昨日の 2 時の世代でお願いします。",
                    "<restore.1@acme.example>")
    assert mail_command("receive", stdin=restore).stdout.decode().startswith("filed ACME-")
    [ticket] = _tickets()
    assert (ticket.backup_service, ticket.counted) == ("restore", False)
    twice = _utf8("[Backup restore] vm-02 too", "Another restore, please.", "<restore.2@acme.example>")
    assert mail_command("receive", stdin=twice).stdout.decode().strip() == \
        "held: this backup service was already requested this month"
    # an untagged schedule change from a private address waits for review; staff file it as one
    private = _utf8("スケジュールを変えたい", "バックアップを 3 時に変更してください。",
                    "<schedule.1@acme.example>", sender="yamada.home@example.org")
    assert mail_command("receive", stdin=private).stdout.decode().strip() == "held: unknown sender"
    row = db.session.scalar(select(InboundMail).where(InboundMail.sender == "yamada.home@example.org"))
    client.login("staff@provider.example")
    url = f"/backoffice/mail/{row.id}"
    refused = client.post(url, {"action": "file", "email": "contact@acme.example",
                                "backup_service": "restore"}, csrf_from=url)
    assert refused.status_code == 422
    assert "月1回まで" in refused.get_data(as_text=True)  # the month's restore is taken
    done = client.post(url, {"action": "file", "email": "contact@acme.example",
                             "backup_service": "schedule_change"}, csrf_from=url)
    assert done.status_code == 302
    converted = _tickets()[-1]
    assert (converted.backup_service, converted.counted, converted.source) == (
        "schedule_change", False, "email")
