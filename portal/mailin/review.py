"""What staff do with mail the intake did not file: read it (the raw source too), file it for a
contact, add it to a request, or discard it — each recorded in the trail."""
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
from portal.mailin.models import InboundMail
from portal.tickets import attachments, services
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Ticket

WAITING = ("held", "awaiting_fee")


def waiting(status: str = "held", limit: int = 200) -> list[InboundMail]:
    statuses = {"held": WAITING, "ignored": ("ignored",), "all": None}.get(status, WAITING)
    query = select(InboundMail).order_by(InboundMail.taken_at.desc()).limit(limit)
    if statuses:
        query = query.where(InboundMail.status.in_(statuses))
    return list(db.session.scalars(query))


def raw(row: InboundMail) -> bytes:
    return (intake.raw_folder() / Path(row.raw_path)).read_bytes()


def read(row: InboundMail) -> decode.InboundMail:
    return decode.read(raw(row))


def _waiting_or_error(row: InboundMail) -> None:
    if row.status not in WAITING + ("ignored",):
        raise TicketError(_l("This mail has already been dealt with."), "mail")


def file_for(row: InboundMail, staff: User, email: str) -> Ticket:
    """File the mail as a request of the customer with this address (e.g. a colleague wrote
    from a private address)."""
    _waiting_or_error(row)
    person = db.session.scalar(select(User).where(
        User.email == canonical_address(email), User.role.in_(CUSTOMER_ROLES), User.active.is_(True)))
    if person is None:
        raise TicketError(_l("No active customer has this address."), "email")
    mail = read(row)
    ticket = intake.file_mail(person, mail, received_at=row.received_at)
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


def discard(row: InboundMail, staff: User) -> None:
    _waiting_or_error(row)
    _done(row, staff, "discarded", None, "mail.discarded")


def _done(row: InboundMail, staff: User, status: str, ticket: Ticket | None, action: str) -> None:
    row.status = status
    row.ticket_id = ticket.id if ticket else row.ticket_id
    row.detail = f"{row.detail} · {clock.now():%Y-%m-%d %H:%M} {staff.email}"[:500]
    record(staff, action, ticket or row, ticket.organization_id if ticket else row.organization_id,
           message_id=row.message_id, sender=row.sender)
