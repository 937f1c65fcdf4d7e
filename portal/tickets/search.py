"""What of a request is searched, kept in step with every write, and how results are shown.

A request's document (portal.search.Document) is its number, subject, product and description,
its public replies, and its attachments' names with the text of `.txt`/`.log` files (the first
ATTACHMENT_TEXT_BYTES); staff-only text is the internal notes, internal attachments and the
reasons for a void or an out-of-scope mark. The document is rebuilt from the database whenever
the session is about to commit a change to any of these — whoever wrote it: a page, the API, the
CLI, mail intake — inside the same transaction (SQLAlchemy's before_commit), so the index never
shows what was rolled back and never misses what was committed. `flask --app portal search
reindex` rebuilds every document.
"""
from __future__ import annotations

from dataclasses import dataclass
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


def documents(connection, ticket_ids: list[int], uploads: Path | None = None) -> list[search.Document]:
    """The search documents of these requests, read with three queries."""
    tickets, messages, files = Ticket.__table__, Message.__table__, Attachment.__table__
    public: dict[int, list[str]] = {}
    internal: dict[int, list[str]] = {}
    scope: dict[int, int] = {}
    for row in connection.execute(select(
            tickets.c.id, tickets.c.organization_id, tickets.c.number, tickets.c.subject,
            tickets.c.product, tickets.c.body, tickets.c.void_reason, tickets.c.out_of_scope_reason,
    ).where(tickets.c.id.in_(ticket_ids))):
        public[row.id] = [row.number, row.subject, row.product, row.body]
        scope[row.id] = row.organization_id
        internal[row.id] = [row.void_reason or "", row.out_of_scope_reason or ""]
    for row in connection.execute(select(messages.c.ticket_id, messages.c.body, messages.c.internal)
                                  .where(messages.c.ticket_id.in_(ticket_ids))
                                  .order_by(messages.c.created_at, messages.c.id)):
        (internal if row.internal else public).setdefault(row.ticket_id, []).append(row.body)
    for row in connection.execute(select(files.c.ticket_id, files.c.filename, files.c.stored_name,
                                         files.c.internal)
                                  .where(files.c.ticket_id.in_(ticket_ids)).order_by(files.c.id)):
        target = (internal if row.internal else public).setdefault(row.ticket_id, [])
        target.append(row.filename)
        target.append(attachment_text(row.filename, row.stored_name, uploads))
    return [search.Document(ticket_id, scope[ticket_id], "\n".join(p for p in public[ticket_id] if p),
                            "\n".join(p for p in internal.get(ticket_id, []) if p))
            for ticket_id in ticket_ids if ticket_id in public]


def refresh(connection, ticket_ids, uploads: Path | None = None) -> None:
    ids = sorted(set(ticket_ids))
    for start in range(0, len(ids), 500):
        search.put(documents(connection, ids[start:start + 500], uploads), connection)


def reindex(connection, uploads: Path | None = None, batch: int = 2000) -> int:
    """Every request's document again; returns how many."""
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


def by_relevance(ticket_ids: list[int], text: str, *, internal: bool) -> list[int]:
    """The ids (newest first) reordered by relevance; equal relevance keeps newest first."""
    scores = search.scores(search.parse(text), ticket_ids, internal=internal)
    return sorted(ticket_ids, key=lambda ticket_id: -scores.get(ticket_id, 0.0))


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


SIMILAR_CANDIDATES = 300
RESOLUTION_CHARS = 240


def similar(text: str, *, statuses, exclude: int | None = None, organization_id: int | None = None,
            internal: bool = False, limit: int = 5) -> list[Similar]:
    """Requests like `text` (a subject and description): the newest candidates sharing any of
    its words, in these statuses, ordered by relevance; with how each was resolved. Four
    queries whatever the data size."""
    query = search.similar_query(text)
    if not query:
        return []
    matches = search.matches(query, internal=internal, scope=organization_id)
    candidates = select(Ticket.id).join(matches, matches.c.id == Ticket.id).where(
        Ticket.status.in_(statuses), Ticket.voided.is_(False))
    if exclude is not None:
        candidates = candidates.where(Ticket.id != exclude)
    ids = list(db.session.scalars(candidates.order_by(Ticket.id.desc()).limit(SIMILAR_CANDIDATES)))
    scores = search.scores(query, ids, internal=internal)
    best = sorted(ids, key=lambda ticket_id: -scores.get(ticket_id, 0.0))[:limit]
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

def _text_changed(ticket: Ticket) -> bool:
    state = inspect(ticket)
    return any(state.attrs[name].history.has_changes() for name in TICKET_TEXT)


@event.listens_for(db.session, "after_flush")
def _note_changes(session, _flush_context) -> None:
    pending = session.info.setdefault(PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Ticket):
            if obj in session.new or _text_changed(obj):
                pending.add(obj.id)
        elif isinstance(obj, Message | Attachment) and obj.ticket_id is not None:
            pending.add(obj.ticket_id)


@event.listens_for(db.session, "before_commit")
def _index_changes(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # what commit would flush only after this hook: noted by _note_changes
    if not session.info.get(PENDING):
        return
    ticket_ids = session.info.pop(PENDING, set())
    if ticket_ids:
        refresh(session.connection(), ticket_ids, upload_folder_or_none())


@event.listens_for(db.session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop(PENDING, None)
