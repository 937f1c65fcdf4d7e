"""What of a request is searched, kept in step with every write, and how results are shown.

A request is indexed as units (portal.search.Document, one row each): the request itself
(number, subject, product, description; staff-only: the reasons for a void or an out-of-scope
mark), each message (an internal note is staff-only text), each attachment (its name and the text
of `.txt`/`.log` files, the first ATTACHMENT_TEXT_BYTES; an internal one staff-only). A unit is
written from the database whenever the session is about to commit a change to it — whoever wrote
it: a page, the API, the CLI, mail intake — inside the same transaction (SQLAlchemy's
before_commit); a reply writes its own small unit only. So the index never
shows what was rolled back and never misses what was committed. `flask --app portal search
reindex` rebuilds every document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import joinedload

from portal import search
from portal.accounts.models import STAFF_ROLES, User
from portal.db import db
from portal.tickets.models import Attachment, Message, Ticket

ATTACHMENT_TEXT_BYTES = 64 * 1024
TEXT_SUFFIXES = (".txt", ".log")
TICKET_TEXT = ("number", "subject", "product", "body", "void_reason", "out_of_scope_reason")
PENDING = "search_pending"


def upload_folder_or_none() -> Path | None:
    if not has_app_context():
        return None
    return Path(current_app.config["INSTANCE_PATH"]) / "uploads"


def attachment_text(filename: str, stored_name: str, uploads: Path | None) -> str:
    """The start of a text attachment (UTF-8, else Shift_JIS as Windows writes it), else ''."""
    if uploads is None or not filename.lower().endswith(TEXT_SUFFIXES):
        return ""
    try:
        with open(uploads / stored_name, "rb") as handle:
            data = handle.read(ATTACHMENT_TEXT_BYTES)
    except OSError:
        return ""
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


TICKET, MESSAGE, ATTACHMENT = 0, 1, 2  # the kinds of unit (portal.search.key)


def _ticket_units(connection, where) -> list[search.Document]:
    tickets = Ticket.__table__
    return [search.Document(
        search.key(row.id, TICKET), row.organization_id,
        "\n".join(p for p in (row.number, row.subject, row.product, row.body) if p),
        "\n".join(p for p in (row.void_reason, row.out_of_scope_reason) if p))
        for row in connection.execute(select(
            tickets.c.id, tickets.c.organization_id, tickets.c.number, tickets.c.subject,
            tickets.c.product, tickets.c.body, tickets.c.void_reason, tickets.c.out_of_scope_reason,
        ).where(where).order_by(tickets.c.id))]


def _message_units(connection, where) -> list[search.Document]:
    messages, tickets = Message.__table__, Ticket.__table__
    return [search.Document(search.key(row.ticket_id, MESSAGE, row.id), row.organization_id,
                            "" if row.internal else row.body, row.body if row.internal else "")
            for row in connection.execute(
                select(messages.c.id, messages.c.ticket_id, messages.c.body, messages.c.internal,
                       tickets.c.organization_id)
                .join(tickets, tickets.c.id == messages.c.ticket_id).where(where))]


def _attachment_units(connection, where, uploads: Path | None) -> list[search.Document]:
    files, tickets = Attachment.__table__, Ticket.__table__
    units = []
    for row in connection.execute(
            select(files.c.id, files.c.ticket_id, files.c.filename, files.c.stored_name,
                   files.c.internal, tickets.c.organization_id)
            .join(tickets, tickets.c.id == files.c.ticket_id).where(where)):
        found = "\n".join(p for p in (row.filename, attachment_text(row.filename, row.stored_name,
                                                                      uploads)) if p)
        units.append(search.Document(search.key(row.ticket_id, ATTACHMENT, row.id),
                                     row.organization_id, "" if row.internal else found,
                                     found if row.internal else ""))
    return units


def documents(connection, ticket_ids: list[int], uploads: Path | None = None) -> list[search.Document]:
    """Every unit of these requests: the request itself (number, subject, product, description;
    the staff-only reasons), each message, each attachment. Three queries."""
    return [*_ticket_units(connection, Ticket.__table__.c.id.in_(ticket_ids)),
            *_message_units(connection, Message.__table__.c.ticket_id.in_(ticket_ids)),
            *_attachment_units(connection, Attachment.__table__.c.ticket_id.in_(ticket_ids), uploads)]


def refresh(connection, ticket_ids, uploads: Path | None = None) -> None:
    """Every unit of these requests again (a request moved to another organisation)."""
    ids = sorted(set(ticket_ids))
    for start in range(0, len(ids), 500):
        search.delete_groups(ids[start:start + 500], connection)
        search.put(documents(connection, ids[start:start + 500], uploads), connection)


@dataclass
class Changes:
    """What a session changed, noted at each flush and indexed just before it commits: only
    the units written, so a reply costs one small row, not its whole request again."""

    tickets: set[int] = field(default_factory=set)  # the request's own unit
    moved: set[int] = field(default_factory=set)  # every unit (organisation changed, or deleted)
    messages: set[int] = field(default_factory=set)
    attachments: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)  # unit keys

    def apply(self, connection, uploads: Path | None) -> None:
        if self.moved:
            refresh(connection, self.moved, uploads)
        search.delete(list(self.deleted), connection)
        for chunk in _chunks(self.tickets - self.moved):
            search.put(_ticket_units(connection, Ticket.__table__.c.id.in_(chunk)), connection)
        for chunk in _chunks(self.messages):
            search.put(_message_units(connection, Message.__table__.c.id.in_(chunk)), connection)
        for chunk in _chunks(self.attachments):
            search.put(_attachment_units(connection, Attachment.__table__.c.id.in_(chunk), uploads),
                       connection)


def _chunks(ids, size: int = 500):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def reindex(connection, uploads: Path | None = None, batch: int = 2000) -> int:
    """Every request's units again; returns how many requests."""
    search.clear(connection)
    tickets = Ticket.__table__
    last, count = 0, 0
    while True:
        ids = list(connection.scalars(select(tickets.c.id).where(tickets.c.id > last)
                                      .order_by(tickets.c.id).limit(batch)))
        if not ids:
            return count
        search.put(documents(connection, ids, uploads), connection)
        count += len(ids)
        last = ids[-1]


def matches(text: str, *, internal: bool, organization_id: int | None = None):
    """The requests matching every word of `text` (subquery of `id`), or None when nothing
    searchable was typed."""
    query = search.parse(text)
    return search.matches(query, internal=internal, scope=organization_id) if query else None


def newest(text: str, *, internal: bool, organization_id: int | None = None,
           limit: int = search.RANKED) -> tuple[int, list[int]]:
    return search.newest(search.parse(text), internal=internal, scope=organization_id, limit=limit)


def ranked(text: str, *, internal: bool, organization_id: int | None = None,
           limit: int = search.RANKED) -> tuple[int, list[int]]:
    """How many requests match (see newest), and the newest `limit` by relevance, then newest."""
    total, ids, scores = search.ranked(search.parse(text), internal=internal, scope=organization_id,
                                       limit=limit)
    return total, search.by_score(ids, scores)


def by_relevance(ticket_ids: list[int], text: str, *, internal: bool) -> list[int]:
    """The ids (newest first) reordered by relevance; equal relevance keeps newest first."""
    scores = search.scores(search.parse(text), ticket_ids, internal=internal)
    return search.by_score(ticket_ids, scores)


def snippets(ticket_ids: list[int], text: str, *, internal: bool) -> dict:
    """The first matching passage of each request, highlighted and escaped; one query."""
    query = search.parse(text)
    found = {}
    for ticket_id, texts in search.texts(ticket_ids, internal=internal).items():
        passage = search.snippet(texts, query)
        if passage is not None:
            found[ticket_id] = passage
    return found


@dataclass(frozen=True)
class Similar:
    ticket: Ticket
    resolution: str  # the last public reply of staff: how it was resolved ('' without one)


SIMILAR_CANDIDATES = 100
SIMILAR_UNITS = 1000  # the newest units sharing a word, among which candidates are found
RESOLUTION_CHARS = 240


def similar(text: str, *, statuses, exclude: int | None = None, organization_id: int | None = None,
            internal: bool = False, limit: int = 5) -> list[Similar]:
    """Requests like `text` (a subject and description): among the newest requests in these
    statuses sharing any of its words (found in the newest SIMILAR_UNITS units that do), the
    ones whose own subject and description share most, with how each was resolved. Four
    queries, and the same work, whatever the data size."""
    query = search.similar_query(text)
    if not query:
        return []
    matches = search.recent(query, internal=internal, scope=organization_id, units=SIMILAR_UNITS)
    candidates = select(Ticket.id).join(matches, matches.c.id == Ticket.id).where(
        Ticket.status.in_(statuses), Ticket.voided.is_(False))
    if exclude is not None:
        candidates = candidates.where(Ticket.id != exclude)
    ids = list(db.session.scalars(candidates.order_by(Ticket.id.desc()).limit(SIMILAR_CANDIDATES)))
    # alike by what each request itself says (subject and description), not its whole thread
    alike = search.overlap(query, [search.key(i, TICKET) for i in ids], internal=internal)
    scores = {search.group_of(unit): score for unit, score in alike.items()}
    best = search.by_score(ids, scores)[:limit]
    if not best:
        return []
    rows = {t.id: t for t in db.session.scalars(select(Ticket).where(Ticket.id.in_(best))
                                                 .options(joinedload(Ticket.organization)))}
    replies: dict[int, str] = {}
    for message in db.session.execute(
            select(Message.ticket_id, Message.body).join(User, User.id == Message.author_id)
            .where(Message.ticket_id.in_(best), Message.internal.is_(False),
                   User.role.in_(STAFF_ROLES)).order_by(Message.created_at, Message.id)):
        replies[message.ticket_id] = message.body  # the last one wins
    return [Similar(rows[i], _shorten(replies.get(i, ""))) for i in best if i in rows]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= RESOLUTION_CHARS else text[:RESOLUTION_CHARS - 1] + "…"


# ---- kept in step: which requests this session changed, indexed just before it commits ----

def _changed(ticket: Ticket, names) -> bool:
    state = inspect(ticket)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(changes: Changes, obj, session) -> None:
    if isinstance(obj, Ticket):
        if obj in session.new or _changed(obj, TICKET_TEXT):
            changes.tickets.add(obj.id)
        if obj in session.deleted or (obj not in session.new and _changed(obj, ("organization_id",))):
            changes.moved.add(obj.id)  # every unit again (none, once deleted)
    elif isinstance(obj, Message | Attachment) and obj.ticket_id is not None:
        kind, ids = (MESSAGE, changes.messages) if isinstance(obj, Message) else (
            ATTACHMENT, changes.attachments)
        if obj in session.deleted:
            ids.discard(obj.id)
            changes.deleted.add(search.key(obj.ticket_id, kind, obj.id))
        else:
            ids.add(obj.id)


@event.listens_for(db.session, "after_flush")
def _note_changes(session, _flush_context) -> None:
    changes = session.info.setdefault(PENDING, Changes())
    for obj in (*session.new, *session.dirty, *session.deleted):
        _note(changes, obj, session)


@event.listens_for(db.session, "before_commit")
def _index_changes(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # what commit would flush only after this hook: noted by _note_changes
    changes = session.info.pop(PENDING, None)
    if changes is not None:
        changes.apply(session.connection(), upload_folder_or_none())


@event.listens_for(db.session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop(PENDING, None)
