"""Queue mail in the recipient's language and deliver the outbox with retries."""
from __future__ import annotations

import json
import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from portal.core import clock
from portal.core.addresses import sendable_address
from portal.core.text import one_line
from portal.db import db
from portal.notifications import preferences, threads
from portal.notifications.models import OutboxAttachment, OutboxMail

log = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 8
CLAIM_SECONDS = 120


@dataclass(frozen=True)
class Attachment:
    """A file to send with a mail, e.g. Attachment("workshop.ics", "text/calendar", data)."""

    filename: str
    content_type: str
    data: bytes


def enqueue(recipient: str, subject: str, body: str,
            attachments: Iterable[Attachment] = (), headers: dict | None = None) -> OutboxMail:
    """Write a mail (and its attachments) into the outbox; it is sent after the transaction commits."""
    mail = OutboxMail(
        recipient=one_line(recipient),
        subject=one_line(subject)[:300],
        body=body,
        next_attempt_at=clock.now(),
        headers=json.dumps({name: one_line(value) for name, value in (headers or {}).items()}),
    )
    db.session.add(mail)
    db.session.flush()
    for item in attachments:
        db.session.add(OutboxAttachment(mail_id=mail.id, filename=one_line(item.filename)[:200],
                                        content_type=item.content_type, data=item.data))
    db.session.flush()
    _note_pending()
    return mail


def send_template(user, template: str, attachments: Iterable[Attachment] = (),
                  **context) -> OutboxMail | None:
    """Render mail/<template>.txt in the recipient's language; its first line is the subject.

    `user` is anything with `email`, `name` and `locale` (a portal user, or a workshop
    attendee who has no account). A mail the person switched off on their profile is not
    written at all (None); `preferences` decides which mails those are.
    """
    if not preferences.wants(user, preferences.kind_of(template, user, context.get("ticket"))):
        return None
    with force_locale(user.locale):
        text = render_template(f"mail/{template}.txt", recipient=user, **context)
    subject, _, body = text.strip().partition("\n")
    subject, headers = thread_headers(context.get("ticket"), subject.strip(),
                                      written_by_a_person=template in PERSONAL_TEMPLATES)
    return enqueue(user.email, subject, body.strip() + "\n", attachments, headers)


# Mails that carry what a person wrote; every other one is automatic (Auto-Submitted, RFC 3834).
PERSONAL_TEMPLATES = {"ticket_reply", "ticket_customer_reply"}


def thread_headers(ticket, subject: str, written_by_a_person: bool) -> tuple[str, dict]:
    """A mail about a request (`ticket` in its context): `[ACME-42]` in the subject, its own
    Message-ID in the request's thread, Reply-To the intake address (rules.md, "The e-mail
    channel"). Any other mail only says whether it is automatic."""
    headers = {} if written_by_a_person else {"Auto-Submitted": "auto-generated"}
    if ticket is None or not getattr(ticket, "number", None) or not getattr(ticket, "id", None):
        return subject, headers
    config = current_app.config
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "portal"
    root = f"<{threads.root_id(ticket.id, domain)}>"
    headers.update({"Message-ID": f"<{threads.message_id_for(ticket.id, domain)}>",
                    "In-Reply-To": root, "References": root})
    if config.get("MAIL_INTAKE_ADDRESS"):
        headers["Reply-To"] = config["MAIL_INTAKE_ADDRESS"]
    tag = f"[{ticket.number}]"
    return (subject if tag in subject else f"{tag} {subject}"), headers


def _note_pending() -> None:
    try:
        from flask import g

        g.outbox_pending = True
    except RuntimeError:
        pass


class Unbuildable(ValueError):
    """A mail that can never be sent as it is: it is marked failed, and the others go on."""


def _build(mail: OutboxMail, sender: str) -> EmailMessage:
    try:
        return _message(mail, sender)
    except Exception as error:  # building is local work: whatever fails now fails on every try
        raise Unbuildable(f"{type(error).__name__}: {getattr(error, 'message', error)}") from error


def _message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(sender)
    message["From"] = formataddr((one_line(name), address)) if name else address
    message["To"] = Address(addr_spec=sendable_address(mail.recipient))
    message["Subject"] = mail.subject
    headers = json.loads(mail.headers or "{}")
    message["Message-ID"] = headers.pop(
        "Message-ID", f"<outbox-{mail.id}@{address.split('@')[-1] or 'portal'}>")
    for name, value in headers.items():
        message[name] = value
    message.set_content(mail.body)
    for item in _attachments(mail.id):
        maintype, _, subtype = item.content_type.partition("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=item.filename)
    message.as_bytes()  # every header serialisable now, not halfway through the SMTP dialogue
    return message


def _attachments(mail_id: int) -> list[OutboxAttachment]:
    return list(db.session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.mail_id == mail_id)
        .order_by(OutboxAttachment.id)
    ))


def _deliver(message: EmailMessage, config) -> None:
    if not config["SMTP_HOST"]:
        log.info("mail (no SMTP host configured, logged only): %s", message["Subject"])
        return
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


def _claim(mail_id: int) -> bool:
    """Take one mail for this worker; safe with several workers on several servers."""
    now = clock.now()
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .where(or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def drain_outbox(limit: int = 100) -> int:
    """Send what is due; a failure is kept and retried later with growing delays."""
    config = current_app.config
    due = db.session.scalars(
        select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))
        .where(OutboxMail.next_attempt_at <= clock.now())
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    sent = 0
    for mail_id in due:
        if _claim(mail_id):
            sent += _send_one(db.session.get(OutboxMail, mail_id), config)
    return sent


def _send_one(mail: OutboxMail, config) -> int:
    """Deliver one claimed mail, then record the outcome. Nothing is written before delivery
    ends: a change made earlier would be flushed by the attachments' query and hold a write
    lock through the whole SMTP conversation (on SQLite every other writer of the portal would
    wait for the mail server)."""
    error, final = None, False
    try:
        _deliver(_build(mail, config["MAIL_FROM"]), config)
    except Unbuildable as failed:
        error, final = failed, True
    except smtplib.SMTPRecipientsRefused as refused:
        error, final = refused, _refused_for_good(refused)
    except (OSError, smtplib.SMTPException) as failed:
        error = failed
    _record_outcome(mail, error, final)
    if error is None:
        return 1
    if mail.failed_at is not None:
        log.error("mail %s given up after %s attempt(s): %s", mail.id, mail.attempts,
                  mail.last_error)
    else:
        log.warning("mail %s not sent (attempt %s): %s", mail.id, mail.attempts, error)
    return 0


def _record_outcome(mail: OutboxMail, error: Exception | None, final: bool) -> None:
    now = clock.now()
    mail.attempts += 1
    mail.claimed_until = None
    if error is None:
        mail.sent_at = now
    else:
        mail.last_error = (str(error) if isinstance(error, Unbuildable)
                           else f"{type(error).__name__}: {error}")[:2000]
        mail.next_attempt_at = now + timedelta(minutes=2**mail.attempts)
        if final or mail.attempts >= MAX_ATTEMPTS:
            mail.failed_at = now
    db.session.commit()


def _refused_for_good(refused: smtplib.SMTPRecipientsRefused) -> bool:
    """A permanent (5xx) refusal of the recipient will not change on a retry; 4xx may."""
    return all(500 <= code < 600 for code, _message in refused.recipients.values())


def outbox_stuck(age: timedelta = timedelta(hours=1)) -> bool:
    """Ready-check: is there mail still unsent well after it was due?

    Tried or not: mail never attempted an hour after it was due means no worker is draining.
    Mail given up on (failed_at) is not waiting for anyone: it never holds the check at 503.
    """
    oldest = db.session.scalar(
        select(OutboxMail.next_attempt_at)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))
        .order_by(OutboxMail.next_attempt_at)
        .limit(1)
    )
    return oldest is not None and oldest < clock.now() - age


def drain_in_background(app) -> None:
    """After a request that queued mail, send it without making the user wait."""

    def work() -> None:
        with app.app_context():
            try:
                drain_outbox()
            except Exception:  # a mail server outage must never break a request
                log.exception("outbox drain failed")
            finally:
                db.session.remove()

    threading.Thread(target=work, name="outbox", daemon=True).start()
