"""What staff do with mail the intake did not file: read it (the raw source too), file it for a
contact, add it to a request, discard it, or block its sender — each recorded in the trail."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from portal.accounts.models import CUSTOMER_ROLES, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.addresses import canonical_address
from portal.core.i18n import _l
from portal.db import db
from portal.mailin import decode, intake
from portal.mailin.models import BlockedSender, InboundMail
from portal.tickets import attachments, services
from portal.tickets.interfaces import TicketError
from portal.tickets.models import BACKUP_SERVICES, Ticket

WAITING = ("held", "awaiting_fee")


def waiting(status: str = "held", limit: int = 200) -> list[InboundMail]:
    statuses = {"held": WAITING, "ignored": ("ignored",), "all": None}.get(status, WAITING)
    query = select(InboundMail).order_by(InboundMail.taken_at.desc()).limit(limit)
    if statuses:
        query = query.where(InboundMail.status.in_(statuses))
    return list(db.session.scalars(query))


def raw(row: InboundMail) -> bytes:
    return (intake.raw_folder() / Path(row.raw_path)).read_bytes()


def read(row: InboundMail, data: bytes | None = None) -> decode.InboundMail:
    return decode.read(raw(row) if data is None else data)


def _waiting_or_error(row: InboundMail) -> None:
    if row.status not in WAITING + ("ignored",):
        raise TicketError(_l("This mail has already been dealt with."), "mail")


def file_for(row: InboundMail, staff: User, email: str, backup_service: str = "") -> Ticket:
    """File the mail as a request of the customer with this address (e.g. a colleague wrote
    from a private address); as a backup-service request when staff recognise one that the
    subject did not tag (once a month each, as on the form)."""
    _waiting_or_error(row)
    person = db.session.scalar(select(User).where(
        User.email == canonical_address(email), User.role.in_(CUSTOMER_ROLES), User.active.is_(True)))
    if person is None:
        raise TicketError(_l("No active customer has this address."), "email")
    if backup_service and backup_service not in BACKUP_SERVICES:
        raise TicketError(_l("Choose what to file it as."), "backup_service")
    mail = read(row)
    ticket = intake.file_mail(person, mail, received_at=row.received_at,
                              backup_service=backup_service or None)
    _done(row, staff, "filed", ticket, "mail.filed_by_staff")
    return ticket


def add_to(row: InboundMail, staff: User, number: str) -> Ticket:
    """Add the mail to a request's thread, as written by its sender (or the requester)."""
    _waiting_or_error(row)
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number.strip().upper()))
    if ticket is None:
        raise TicketError(_l("No request has this number."), "number")
    mail = read(row)
    author = db.session.get(User, row.user_id) if row.user_id else None
    if author is None or author.organization_id != ticket.organization_id:
        author = ticket.requester
    message = services.add_message(ticket, author, mail.text or mail.subject)
    attachments.save_all(ticket, intake.uploads(mail), author, message.id)
    _done(row, staff, "added", ticket, "mail.added_by_staff")
    return ticket


def block_sender(row: InboundMail, staff: User) -> None:
    """Block the mail's sender: this mail is discarded, and every later one from the address is
    recorded and ignored with the reason (never filed, held or answered)."""
    _waiting_or_error(row)
    if not row.sender:
        raise TicketError(_l("This mail has no sender address to block."), "mail")
    if db.session.scalar(select(BlockedSender.id).where(BlockedSender.address == row.sender)) is None:
        db.session.add(BlockedSender(address=row.sender, blocked_at=clock.now(), blocked_by_id=staff.id))
    _done(row, staff, "discarded", None, "mail.sender_blocked")


def blocked_senders(limit: int = 500) -> list[BlockedSender]:
    """The blocked addresses, the latest first, with who blocked them (the review page lists
    them with an unblock button)."""
    return list(db.session.scalars(select(BlockedSender).order_by(
        BlockedSender.blocked_at.desc(), BlockedSender.id.desc()).limit(limit)))


def unblock(blocked_id: int, staff: User) -> BlockedSender:
    """Take an address off the block list: its next mail goes through every rule again (filed,
    held or answered as any other). Mail ignored while it was blocked stays as it was."""
    row = db.session.get(BlockedSender, blocked_id)
    if row is None:
        raise TicketError(_l("This address is not blocked."), "blocked")
    db.session.delete(row)
    record(staff, "mail.sender_unblocked", row, None, sender=row.address,
           blocked_at=row.blocked_at.isoformat(), blocked_by_id=row.blocked_by_id)
    return row


def discard(row: InboundMail, staff: User) -> None:
    _waiting_or_error(row)
    _done(row, staff, "discarded", None, "mail.discarded")


def _done(row: InboundMail, staff: User, status: str, ticket: Ticket | None, action: str) -> None:
    row.status = status
    row.ticket_id = ticket.id if ticket else row.ticket_id
    row.detail = f"{row.detail} · {clock.now():%Y-%m-%d %H:%M} {staff.email}"[:500]
    record(staff, action, ticket or row, ticket.organization_id if ticket else row.organization_id,
           message_id=row.message_id, sender=row.sender)
