"""One mail in: file a request, add to a thread, or hold it for staff — with every rule of
rules.md's "The e-mail channel". `mail receive` (a mail server's pipe) and `mail fetch` (IMAP)
both call `take_in`, so the two ways in can never disagree.

Order of the checks: once only (Message-ID, else the digest) → raw kept → automatic or our own
mail (ignored) → a sender staff blocked (ignored) → too large → sender authenticity
(Authentication-Results of the trusted server) → a known active customer → a flood → a reply to
a request of their organisation → a new request (kind and severity from the subject tag, or a
backup service from its tag, held when the month's one is taken; an overage Q&A/B/C waits for
the fee to be acknowledged). The caller commits; any database error propagates so that the mail server is
told to retry (EX_TEMPFAIL), and the raw file written first is simply written again.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from flask import current_app
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal.accounts.models import CUSTOMER_ROLES, User
from portal.accounts.services import normalise_email, record
from portal.core import clock
from portal.core.text import one_line
from portal.db import db
from portal.mailin import decode
from portal.mailin.models import BlockedSender, InboundMail
from portal.notifications import threads
from portal.notifications.services import send_template
from portal.tickets import attachments, lifecycle, services
from portal.tickets.allowance import month_of
from portal.tickets.interfaces import OverageConfirmationRequired, TicketError
from portal.tickets.models import Status, Ticket

FLOOD_PER_HOUR = 20
MAX_MAIL_MB = 40  # a whole message; each file still has the form's limit (PORTAL_MAX_UPLOAD_MB)

# Why a mail was not filed, in the words staff and senders read (pages translate these codes).
REASONS = {
    "duplicate": "already received",
    "blocked_sender": "the sender is blocked",
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
    "lapsed": "the overage fee was not confirmed within 7 days",
    "backup_limit": "this backup service was already requested this month",
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
    if mail.sender and db.session.scalar(
            select(BlockedSender.id).where(BlockedSender.address == mail.sender)) is not None:
        return Outcome("ignored", reason="blocked_sender")
    if mail.size > MAX_MAIL_MB * 1024 * 1024:
        return Outcome("held", reason="too_large")
    trusted = config.get("MAIL_TRUSTED_AUTHSERV_ID") or ""
    if trusted and not authentic(mail.authentication_results, trusted):
        row.detail = " | ".join(mail.authentication_results)[:500]
        return Outcome("held", reason="unauthenticated")
    person = _customer(mail.sender)
    if person is None:
        _answer_stranger(mail.sender, row)
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
    """A reply by mail: added to the thread (reopening a resolved request), or, to a closed
    request, filed as a new request that follows it up, like a reply on the page."""
    if ticket.status == Status.CLOSED and not person.is_staff:
        return _file(person, mail, row, follow_up_of=ticket)
    row.ticket_id = ticket.id
    try:
        with db.session.begin_nested():
            message = lifecycle.reply(ticket, person, _text(mail), source="email").message
            attachments.save_all(ticket, uploads(mail), person, message.id)
    except TicketError as error:
        row.detail = str(error.message)[:500]
        return Outcome("held", ticket.number, "file_too_large" if error.field == "attachment"
                       else "invalid")
    record(person, "mail.added", ticket, ticket.organization_id, message_id=mail.message_id)
    return Outcome("added", ticket.number)


SUBJECT_MAX = 200  # a request's subject (tickets.subject)


def _full_subject(mail: decode.InboundMail) -> str:
    return one_line(mail.subject) or one_line(_text(mail).splitlines()[0])


def _subject(mail: decode.InboundMail) -> str:
    """The request's subject: the mail's, shortened at a word or phrase with "…" when longer
    than a request's subject may be (the whole one then opens the description, see _body)."""
    return decode.shortened(_full_subject(mail), SUBJECT_MAX)


def _body(mail: decode.InboundMail) -> str:
    """The request's description: the mail's text, after the whole subject when the subject
    had to be shortened — a long subject never silently loses words (docs/decisions/mail.md)."""
    full = one_line(mail.subject)
    if len(full) <= SUBJECT_MAX or not mail.text:
        return _text(mail)
    return f"{full}\n\n{mail.text}"


def file_mail(person: User, mail: decode.InboundMail, received_at: datetime | None = None,
              acknowledge_overage: bool = False, follow_up_of: Ticket | None = None,
              backup_service: str | None = None) -> Ticket:
    """The mail as a request of `person`: the backup service of the subject tag (or the one staff
    chose), else an incident of the subject tag's severity, else a Q&A; its files attached. The
    one way every path (intake, fee confirmed, staff) files mail."""
    ticket = services.file_ticket(
        person, kind="incident" if mail.severity else "question", severity=mail.severity,
        subject=_subject(mail), body=_body(mail), source="email",
        backup_service=backup_service or mail.backup_service, received_at=received_at,
        acknowledge_overage=acknowledge_overage)
    attachments.save_all(ticket, uploads(mail), person)
    if follow_up_of is not None:
        lifecycle.link_follow_up(ticket, follow_up_of, person)
    return ticket


def backup_taken(person: User, service: str | None, received_at: datetime | None) -> bool:
    """Whether the organisation already has this backup service in that month (terms [7]5:
    once a month each). Asked before filing: the unique constraint's rollback would take the
    mail's own row with it."""
    if not service or person.organization is None:
        return False
    month = month_of(received_at or clock.now(), person.organization.timezone)
    return db.session.scalar(select(Ticket.id).where(
        Ticket.organization_id == person.organization_id, Ticket.month == month,
        Ticket.backup_service == service).limit(1)) is not None


def _file(person: User, mail: decode.InboundMail, row: InboundMail,
          follow_up_of: Ticket | None = None) -> Outcome:
    subject = _subject(mail)
    if backup_taken(person, mail.backup_service, row.received_at):
        return Outcome("held", reason="backup_limit")
    try:
        with db.session.begin_nested():
            ticket = file_mail(person, mail, received_at=row.received_at,
                               follow_up_of=follow_up_of)
    except OverageConfirmationRequired as error:
        row.detail = str(error.message)[:500]
        row.organization_id, row.user_id = person.organization_id, person.id
        db.session.flush()
        send_template(person, "mail_overage_confirm", subject=subject, rank=error.rank,
                      included=error.included, fee=error.fee, link=confirmation_link(row))
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


def _answer_stranger(sender: str, row: InboundMail) -> None:
    """One polite bilingual answer a day to an address with no account (never to automatic
    mail, which is ignored before this, and never twice within 24 hours)."""
    if not sender or "@" not in sender:
        return
    since = row.taken_at - timedelta(days=1)
    if db.session.scalar(select(InboundMail.id).where(
            InboundMail.sender == sender, InboundMail.answered_at > since).limit(1)):
        return
    send_template(SimpleNamespace(email=sender, name="", locale="ja"), "mail_unknown_sender")
    row.answered_at = row.taken_at


CONFIRMATION_DAYS = 7
_SALT = "mail-overage-confirmation"


class _ClockSigner(TimestampSigner):
    """Stamps a link with the moment the mail was held and checks its age by the portal's clock
    (portal.core.clock), like every other deadline of the rules, not by the server's own time
    (itsdangerous: get_timestamp is there to be overridden)."""

    def __init__(self, *args, at: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at

    def get_timestamp(self) -> int:
        return int((self.at or clock.now()).timestamp())


def _serializer(at: datetime | None = None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT, signer=_ClockSigner,
                                  signer_kwargs={"at": at})


def confirmation_link(row: InboundMail) -> str:
    token = _serializer(row.taken_at).dumps(row.id)
    return f"{current_app.config['BASE_URL']}/mail/confirm/{token}"


def awaiting_for(token: str) -> InboundMail | None:
    """The mail a confirmation link names, while it may still be confirmed (7 days, once)."""
    try:
        mail_id = _serializer().loads(token, max_age=CONFIRMATION_DAYS * 86400)
    except BadData:
        return None
    row = db.session.get(InboundMail, mail_id) if isinstance(mail_id, int) else None
    return row if row is not None and row.status == "awaiting_fee" else None


def confirm_fee(row: InboundMail) -> Ticket:
    """The sender accepted the fee: the request is filed now (rules.md: "filed at that moment")."""
    person = db.session.get(User, row.user_id)
    mail = decode.read((raw_folder() / row.raw_path).read_bytes())
    ticket = file_mail(person, mail, acknowledge_overage=True)
    row.status, row.reason, row.ticket_id = "filed", "", ticket.id
    record(person, "mail.fee_confirmed", ticket, ticket.organization_id, message_id=row.message_id)
    return ticket
