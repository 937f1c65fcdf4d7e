"""An organisation's audit trail for staff, one page at a time, in words (portal.accounts.audit):
newest first, 50 a page, in at most four queries whatever the trail's length (the count, the
page's events with their actors, the numbers of the requests and the names of the people it
names)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.accounts import audit
from portal.accounts.models import AuditEvent, User
from portal.db import db
from portal.tickets.models import Ticket

PER_PAGE = 50


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    label: str
    details: list[audit.Detail]
    target: str
    target_url: str | None


@dataclass(frozen=True)
class TrailPage:
    rows: list[Row]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def trail_page(organization_id: int, page: int) -> TrailPage:
    """One page of the organisation's trail (a page past the last shows the last)."""
    where = AuditEvent.organization_id == organization_id
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(where)) or 0
    page = min(max(page, 1), max(1, -(-total // PER_PAGE)))
    events = list(db.session.scalars(
        select(AuditEvent).where(where).options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    numbers = _names(events, "ticket", Ticket.id, Ticket.number, Ticket.organization_id,
                     organization_id)
    people = _names(events, "user", User.id, User.name, User.organization_id, organization_id)
    return TrailPage([_row(event, numbers, people) for event in events], page, PER_PAGE, total)


def _names(events, target_type: str, id_column, name_column, owner_column, organization_id):
    """What the page's events of one target type are called: one query for all of them, and
    only the organisation's own (an event never names another's, and the page never shows it)."""
    ids = {event.target_id for event in events if event.target_type == target_type
           and event.target_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(id_column, name_column).where(
        id_column.in_(ids), owner_column == organization_id)).all())


def _row(event: AuditEvent, numbers: dict, people: dict) -> Row:
    kind = audit.target_label(event.target_type)
    url = None
    if event.target_type == "ticket" and event.target_id in numbers:
        target = numbers[event.target_id]
        url = url_for("tickets.detail", ticket_id=event.target_id)
    elif event.target_type == "user" and event.target_id in people:
        target = f"{kind}: {people[event.target_id]}"
    else:
        target = f"{kind} #{event.target_id}" if event.target_id is not None else kind
    return Row(event, audit.action_label(event.action), audit.details(event.details), target, url)
