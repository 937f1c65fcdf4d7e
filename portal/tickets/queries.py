"""Reading requests for pages and the API in a constant number of queries."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import search
from portal.accounts.models import AuditEvent, Organization
from portal.accounts.tenancy import scope
from portal.db import db
from portal.tickets import search as ticket_search
from portal.tickets.models import OPEN_STATUSES, Attachment, Message, Ticket

NUMBER_RE = re.compile(r"^[A-Za-z0-9-]+-\d+$")
# staff's lists (every organisation) count at most this many requests, then say "more than":
# an exact count reads every request, whatever the page shows (133 ms at 100,000 on PostgreSQL)
LIST_COUNT_CAP = 1000
SORTS = {
    "received": (Ticket.received_at.desc(),),
    "due": (Ticket.response_due_at.asc(),),
    "updated": (Ticket.updated_at.desc(),),
    # the staff queue: requests still waiting for a first reply first (false before true), by
    # deadline — the expression of the index ix_tickets_queue_order, which serves the queue over
    # every status without sorting every request (migration 0021)
    "queue": (Ticket.first_response_at.is_not(None), Ticket.response_due_at.asc()),
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
    requester_id: int | None = None  # "my requests", or one colleague's
    unanswered: bool = False
    received_from: datetime | None = None  # the period, as aware instants [from, to)
    received_to: datetime | None = None


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int
    snippets: dict = field(default_factory=dict)  # id -> the matching passage (Markup)
    more: bool = False  # a search whose total is a lower bound: "more than N"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(user, flt: TicketFilter, with_text: bool = True):
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
    if flt.requester_id:
        query = query.where(Ticket.requester_id == flt.requester_id)
    if flt.unanswered:
        query = query.where(Ticket.first_response_at.is_(None))
    if flt.received_from:
        query = query.where(Ticket.received_at >= flt.received_from)
    if flt.received_to:
        query = query.where(Ticket.received_at < flt.received_to)
    return query


def _narrowed(flt: TicketFilter) -> bool:
    """Filters only the requests' own columns can answer (the organisation the index can)."""
    return bool(flt.status or flt.kind or flt.severity or flt.assignee_id or flt.requester_id
                or flt.unanswered
                or flt.received_from or flt.received_to)


def _page(query, flt: TicketFilter, total: int, snippets: dict | None = None,
          ids: list[int] | None = None) -> Page:
    if ids is None:
        # sort and cut the page on the narrow id column first, then load only those rows
        ids = list(db.session.scalars(
            query.with_only_columns(Ticket.id)
            .order_by(*SORTS.get(flt.sort, SORTS["received"]), Ticket.id.desc())
            .limit(flt.per_page).offset((flt.page - 1) * flt.per_page)))
    rows = {t.id: t for t in db.session.scalars(
        select(Ticket).where(Ticket.id.in_(ids)).options(*WITH_PEOPLE)).unique()} if ids else {}
    return Page([rows[i] for i in ids], flt.page, flt.per_page, total, snippets or {})


def list_tickets(user, flt: TicketFilter) -> Page:
    """One page of requests the user may see: three queries whatever the data size; a search
    four (portal.search: matches and count, relevance, rows, passages)."""
    query = _filtered(user, flt)
    text = flt.q.strip()
    if NUMBER_RE.match(text):  # a number quoted on the phone: exact, through the unique index
        numbered = query.where(Ticket.number == text.upper())
        if db.session.scalar(numbered.with_only_columns(Ticket.id)) is not None:
            return _page(numbered, flt, 1)
    if text:
        return _search(user, query, flt, text)
    counted = query.order_by(None).with_only_columns(Ticket.id)
    if user.is_staff:  # every organisation's requests: counted up to the cap
        counted = counted.limit(LIST_COUNT_CAP + 1)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    page = _page(query, flt, min(total, LIST_COUNT_CAP) if user.is_staff else total)
    return replace(page, more=user.is_staff and total > LIST_COUNT_CAP)


def _search(user, query, flt: TicketFilter, text: str) -> Page:
    """Every word of every thread through the index: staff search internal notes too, customers
    never and only their organisation's (narrowed inside the index). The newest RANKED matches
    are ordered by relevance, then newest; further pages continue newest first."""
    internal = user.is_staff
    organization_id = flt.organization_id if internal else user.organization_id
    matches = ticket_search.matches(text, internal=internal, organization_id=organization_id)
    if matches is None:  # nothing searchable typed (punctuation only): nothing matches
        return Page([], flt.page, flt.per_page, 0)
    if flt.sort not in ("", "received", "relevance"):  # another order asked for: by it
        joined = query.join(matches, matches.c.id == Ticket.id)
        total = db.session.scalar(select(func.count()).select_from(joined.order_by(None).subquery()))
        page = _page(joined, flt, total or 0)
        return replace(page, snippets=ticket_search.snippets(
            [t.id for t in page.items], text, internal=internal))
    offset = (flt.page - 1) * flt.per_page
    window = search.RANKED if offset + flt.per_page <= search.RANKED else offset + flt.per_page
    narrowed = _narrowed(flt)
    if narrowed:  # the requests' own columns decide too: joined, counted alongside
        found = db.session.execute(
            query.join(matches, matches.c.id == Ticket.id)
            .with_only_columns(Ticket.id, func.count().over()).order_by(Ticket.id.desc())
            .limit(window)).all()
        total, ordered = (found[0][1] if found else 0), [row[0] for row in found]
        if window == search.RANKED:
            ordered = ticket_search.by_relevance(ordered, text, internal=internal)
    elif window == search.RANKED:  # the index alone answers: the count, the newest by relevance
        total, ordered = ticket_search.ranked(text, internal=internal,
                                              organization_id=organization_id, limit=window)
    else:  # past the ranked matches: newest first
        total, ordered = ticket_search.newest(text, internal=internal,
                                              organization_id=organization_id, limit=window)
    more = not narrowed and search.counted_past(total)
    ids = ordered[offset:offset + flt.per_page]
    page = _page(None, flt, total, ticket_search.snippets(ids, text, internal=internal), ids)
    return replace(page, more=more, total=total - 1 if more else total)


def thread(ticket: Ticket, include_internal: bool) -> tuple[list[Message], list[Attachment]]:
    """The messages and attachments a viewer may see: two queries."""
    messages = select(Message).where(Message.ticket_id == ticket.id).options(
        joinedload(Message.author)).order_by(Message.created_at, Message.id)
    files = select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)
    if not include_internal:
        messages = messages.where(Message.internal.is_(False))
        files = files.where(Attachment.internal.is_(False))
    return list(db.session.scalars(messages)), list(db.session.scalars(files))


def files_by_message(messages: list[Message], files: list[Attachment]) -> dict:
    """Each attachment under the message it came with; those filed with the request itself
    (and any whose message the viewer does not see) under None, the request's own text."""
    shown = {message.id for message in messages}
    grouped: dict[int | None, list[Attachment]] = {}
    for file in files:
        grouped.setdefault(file.message_id if file.message_id in shown else None, []).append(file)
    return grouped


def trail(ticket: Ticket) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.target_type == "ticket",
                                 AuditEvent.target_id == ticket.id)
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)))


def get_ticket(user, ticket_id: int) -> Ticket | None:
    """A request the user may see, with what its page shows, in one query; else None."""
    query = scope(select(Ticket), Ticket, user).where(Ticket.id == ticket_id).options(*WITH_PEOPLE)
    return db.session.scalars(query).unique().one_or_none()


def events(ticket: Ticket, actions: tuple[str, ...]) -> list[AuditEvent]:
    """The request's recorded steps of the given kinds, oldest first (the thread's events)."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.target_type == "ticket",
                                 AuditEvent.target_id == ticket.id,
                                 AuditEvent.action.in_(actions))
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)))


def timeline(messages: list[Message], steps: list[AuditEvent]) -> list[tuple[str, object]]:
    """Messages and events in one thread by time: ("message", m) and ("event", e)."""
    items = [(m.created_at, 0, m.id, "message", m) for m in messages]
    items += [(e.at, 1, e.id, "event", e) for e in steps]
    return [(kind, item) for *_key, kind, item in sorted(items, key=lambda row: row[:3])]
