"""Reading requests for pages and the API in a constant number of queries."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import AuditEvent, Organization
from portal.accounts.tenancy import scope
from portal.db import db
from portal.tickets.models import OPEN_STATUSES, Attachment, Message, Ticket

NUMBER_RE = re.compile(r"^[A-Za-z0-9-]+-\d+$")
SORTS = {
    "received": (Ticket.received_at.desc(),),
    "due": (Ticket.response_due_at.asc(),),
    "updated": (Ticket.updated_at.desc(),),
    # the staff queue: requests still waiting for a first reply first, by deadline
    "queue": (case((Ticket.first_response_at.is_(None), 0), else_=1), Ticket.response_due_at.asc()),
}
WITH_PEOPLE = (joinedload(Ticket.requester), joinedload(Ticket.assignee),
               joinedload(Ticket.organization).selectinload(Organization.contracts))


@dataclass(frozen=True)
class TicketFilter:
    status: str = ""
    kind: str = ""
    severity: str = ""
    q: str = ""
    sort: str = "received"
    page: int = 1
    per_page: int = 20
    organization_id: int | None = None
    assignee_id: int | None = None
    unanswered: bool = False


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(user, flt: TicketFilter):
    query = scope(select(Ticket), Ticket, user)
    if flt.status == "open":
        query = query.where(Ticket.status.in_(OPEN_STATUSES))
    elif flt.status:
        query = query.where(Ticket.status == flt.status)
    if flt.kind:
        query = query.where(Ticket.kind == flt.kind)
    if flt.severity:
        query = query.where(Ticket.severity == flt.severity)
    if flt.organization_id:
        query = query.where(Ticket.organization_id == flt.organization_id)
    if flt.assignee_id:
        query = query.where(Ticket.assignee_id == flt.assignee_id)
    if flt.unanswered:
        query = query.where(Ticket.first_response_at.is_(None))
    text = flt.q.strip()
    if NUMBER_RE.match(text):  # a number quoted on the phone: exact, through the unique index
        query = query.where(Ticket.number == text.upper())
    elif text:
        needle = f"%{text}%"
        query = query.where(or_(Ticket.subject.ilike(needle), Ticket.number.ilike(needle)))
    return query


def list_tickets(user, flt: TicketFilter) -> Page:
    """One page of requests the user may see: three queries whatever the data size."""
    query = _filtered(user, flt)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    # sort and cut the page on the narrow id column first, then load only those rows
    ids = list(db.session.scalars(
        query.with_only_columns(Ticket.id)
        .order_by(*SORTS.get(flt.sort, SORTS["received"]), Ticket.id.desc())
        .limit(flt.per_page).offset((flt.page - 1) * flt.per_page)))
    rows = {t.id: t for t in db.session.scalars(
        select(Ticket).where(Ticket.id.in_(ids)).options(*WITH_PEOPLE)).unique()} if ids else {}
    return Page([rows[i] for i in ids], flt.page, flt.per_page, total or 0)


def thread(ticket: Ticket, include_internal: bool) -> tuple[list[Message], list[Attachment]]:
    """The messages and attachments a viewer may see: two queries."""
    messages = select(Message).where(Message.ticket_id == ticket.id).options(
        joinedload(Message.author)).order_by(Message.created_at, Message.id)
    files = select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)
    if not include_internal:
        messages = messages.where(Message.internal.is_(False))
        files = files.where(Attachment.internal.is_(False))
    return list(db.session.scalars(messages)), list(db.session.scalars(files))


def trail(ticket: Ticket) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.target_type == "ticket",
                                 AuditEvent.target_id == ticket.id)
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)))


def get_ticket(user, ticket_id: int) -> Ticket | None:
    """A request the user may see, with what its page shows, in one query; else None."""
    query = scope(select(Ticket), Ticket, user).where(Ticket.id == ticket_id).options(*WITH_PEOPLE)
    return db.session.scalars(query).unique().one_or_none()
