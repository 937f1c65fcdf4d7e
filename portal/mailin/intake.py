"""One mail in: file a request, add to a thread, or hold it for staff — with every rule of
rules.md's "The e-mail channel". `mail receive` (a mail server's pipe) and `mail fetch` (IMAP)
both call `take_in`, so the two ways in can never disagree.

Order of the checks: once only (Message-ID, else the digest) → raw kept → automatic or our own
mail (ignored) → too large → sender authenticity (Authentication-Results of the trusted server)
→ a known active customer → a flood → a reply to a request of their organisation → a new
request (kind and severity from the subject tag; an overage Q&A/B/C waits for the fee to be
acknowledged). The caller commits; any database error propagates so that the mail server is
told to retry (EX_TEMPFAIL), and the raw file written first is simply written again.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal.accounts.models import CUSTOMER_ROLES, User
from portal.accounts.services import normalise_email, record
from portal.core import clock
from portal.db import db
from portal.mailin import decode
from portal.mailin.models import InboundMail
from portal.notifications import threads
from portal.tickets import attachments, services
from portal.tickets.interfaces import OverageConfirmationRequired, TicketError
from portal.tickets.models import Ticket

FLOOD_PER_HOUR = 20
MAX_MAIL_MB = 40  # a whole message; each file still has the form's limit (PORTAL_MAX_UPLOAD_MB)

# Why a mail was not filed, in the words staff and senders read (pages translate these codes).
REASONS = {
    "duplicate": "already received",
    "automatic": "automatic mail",
    "own_mail": "sent by the portal itself",
    "too_large": "too large",
    "unauthenticated": "sender authentication failed",
    "unknown_sender": "unknown sender",
    "inactive_sender": "the sender's account is not active",
    "flood": "too many mails from this sender in an hour",
    "foreign_reply": "a reply to another organisation's request",
    "file_too_large": "an attachment is larger than the limit",
    "invalid": "the request could not be filed",
    "overage": "awaiting the overage fee's acknowledgement",
}


@dataclass(frozen=True)
class Outcome:
    """What became of a mail: the one line `mail receive` prints."""

    action: str  # "filed" | "added" | "held" | "ignored" | "awaiting_fee"
    number: str | None = None
    reason: str = ""

    def line(self) -> str:
        if self.action == "filed":
            return f"filed {self.number}"
        if self.action == "added":
            return f"added to {self.number}"
        if self.action == "awaiting_fee":
            return f"held: {REASONS['overage']}"
        return f"{self.action}: {REASONS.get(self.reason, self.reason)}"


def receive(raw: bytes, *, received_at: datetime | None = None) -> Outcome:
    """`take_in` and commit. The same message delivered twice at once: the unique Message-ID
    lets one in, and the other is answered "already received"."""
    try:
        outcome = take_in(raw, received_at=received_at)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        outcome = take_in(raw, received_at=received_at)
        db.session.commit()
    return outcome


def take_in(raw: bytes, *, received_at: datetime | None = None) -> Outcome:
    """Take one raw message in; `received_at` (e.g. IMAP's internal date) when the message's own
    Received header does not say when the provider's server took it."""
    now = clock.now()
    mail = decode.read(raw)
    known = db.session.scalar(select(InboundMail).where(InboundMail.message_id == mail.message_id))
    if known is not None:
        number = db.session.get(Ticket, known.ticket_id).number if known.ticket_id else None
        return Outcome("ignored", number, "duplicate")
    row = InboundMail(
        message_id=mail.message_id[:1000], digest=mail.digest, sender=mail.sender[:320],
        subject=mail.subject[:500], received_at=received_at or mail.received_at or now,
        taken_at=now, status="held", raw_path=_keep_raw(raw, mail.digest, now), size=mail.size)
    db.session.add(row)
    db.session.flush()  # the row first: what follows may roll back to a savepoint, never past it
    outcome = _decide(mail, row)
    row.status = outcome.action
    row.reason = outcome.reason
    db.session.flush()
    return outcome


def _decide(mail: decode.InboundMail, row: InboundMail) -> Outcome:
    config = current_app.config
    if mail.automatic:
        row.detail = mail.automatic[:500]
        return Outcome("ignored", reason="automatic")
    own = {normalise_email(address) for address in (
        config.get("MAIL_INTAKE_ADDRESS") or "", _address(config.get("MAIL_FROM") or "")) if address}
    if mail.sender in own:
        return Outcome("ignored", reason="own_mail")
    if mail.size > MAX_MAIL_MB * 1024 * 1024:
        return Outcome("held", reason="too_large")
    trusted = config.get("MAIL_TRUSTED_AUTHSERV_ID") or ""
    if trusted and not authentic(mail.authentication_results, trusted):
        row.detail = " | ".join(mail.authentication_results)[:500]
        return Outcome("held", reason="unauthenticated")
    person = _customer(mail.sender)
    if person is None:
        return Outcome("held", reason="unknown_sender")
    row.user_id, row.organization_id = person.id, person.organization_id
    if not person.active:
        return Outcome("held", reason="inactive_sender")
    if _recent_from(mail.sender, row.taken_at) >= FLOOD_PER_HOUR:
        return Outcome("held", reason="flood")
    ticket = _replied_to(mail)
    if ticket is not None:
        if ticket.organization_id != person.organization_id:
            return Outcome("held", reason="foreign_reply")
        return _add(ticket, person, mail, row)
    return _file(person, mail, row)


def _address(value: str) -> str:
    from email.utils import parseaddr

    return parseaddr(value)[1]


def authentic(results: tuple[str, ...], trusted: str) -> bool:
    """RFC 8601: the topmost Authentication-Results of our own server decides. DMARC pass is
    enough; without a DMARC verdict (none, or no record) both SPF and DKIM must pass. A header
    with any other server id is the sender's own claim and is not read."""
    for header in results:
        server, _sep, rest = header.partition(";")
        if server.strip().split()[0:1] != [trusted]:
            continue
        verdicts = {method.lower(): result.lower() for method, result in
                    re.findall(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)", rest, re.IGNORECASE)}
        dmarc = verdicts.get("dmarc", "none")
        if dmarc == "pass":
            return True
        if dmarc != "none":
            return False
        return verdicts.get("spf") == "pass" and verdicts.get("dkim") == "pass"
    return False


def _customer(address: str) -> User | None:
    return db.session.scalar(select(User).where(
        func.lower(User.email) == normalise_email(address), User.role.in_(CUSTOMER_ROLES)))


def _recent_from(sender: str, now: datetime) -> int:
    return db.session.scalar(select(func.count(InboundMail.id)).where(
        InboundMail.sender == sender, InboundMail.taken_at > now - timedelta(hours=1))) or 0


def _replied_to(mail: decode.InboundMail) -> Ticket | None:
    for reference in mail.in_reply_to:
        ticket_id = threads.ticket_from_message_id(reference)
        if ticket_id is not None and (ticket := db.session.get(Ticket, ticket_id)) is not None:
            return ticket
    if mail.number:
        return db.session.scalar(select(Ticket).where(Ticket.number == mail.number))
    return None


def uploads(mail: decode.InboundMail) -> list[FileStorage]:
    import io

    return [FileStorage(io.BytesIO(item.content), filename=item.filename,
                        content_type=item.content_type) for item in mail.files]


def _text(mail: decode.InboundMail) -> str:
    return mail.text or mail.subject or "(no text)"


def _add(ticket: Ticket, person: User, mail: decode.InboundMail, row: InboundMail) -> Outcome:
    row.ticket_id = ticket.id
    try:
        with db.session.begin_nested():
            message = services.add_message(ticket, person, _text(mail))
            attachments.save_all(ticket, uploads(mail), person, message.id)
    except TicketError as error:
        row.detail = str(error.message)[:500]
        return Outcome("held", ticket.number, "file_too_large" if error.field == "attachment"
                       else "invalid")
    record(person, "mail.added", ticket, ticket.organization_id, message_id=mail.message_id)
    return Outcome("added", ticket.number)


def _file(person: User, mail: decode.InboundMail, row: InboundMail) -> Outcome:
    kind = "incident" if mail.severity else "question"
    subject = mail.subject.strip() or _text(mail).splitlines()[0]
    try:
        with db.session.begin_nested():
            ticket = services.file_ticket(
                person, kind=kind, severity=mail.severity, subject=subject[:200],
                body=_text(mail), source="email", backup_service=mail.backup_service,
                received_at=row.received_at)
            attachments.save_all(ticket, uploads(mail), person)
    except OverageConfirmationRequired as error:
        row.detail = str(error.message)[:500]
        return Outcome("awaiting_fee", reason="overage")
    except TicketError as error:
        row.detail = str(error.message)[:500]
        return Outcome("held", reason="file_too_large" if error.field == "attachment"
                       else "invalid")
    row.ticket_id = ticket.id
    return Outcome("filed", ticket.number)


def raw_folder() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "uploads" / "mail"


def _keep_raw(raw: bytes, digest: str, now: datetime) -> str:
    """The message as received, under the uploads folder (so the backup has it), written under a
    hidden name and moved into place; the same bytes always land on the same name."""
    relative = Path(now.strftime("%Y/%m")) / f"{digest}.eml"
    path = raw_folder() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        partial = path.with_name(f".{path.name}.part")
        partial.write_bytes(raw)
        os.replace(partial, path)
    return str(relative)
