"""Watchers (CC) of a request: colleagues of its organisation who get the requester's mails
(rules.md). Only the requester, a customer administrator of the organisation, or staff add or
remove them; an address outside the organisation is refused exactly like an unknown one."""
from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import record
from portal.core.addresses import canonical_address
from portal.core.i18n import _l
from portal.db import db
from portal.tickets.interfaces import NotAllowed, TicketError
from portal.tickets.models import Ticket, Watcher


def may_manage(ticket: Ticket, actor: User) -> bool:
    return bool(actor.is_staff or ticket.requester_id == actor.id or (
        actor.is_customer_admin and actor.organization_id == ticket.organization_id))


def _check(ticket: Ticket, actor: User) -> None:
    if not may_manage(ticket, actor):
        raise NotAllowed(_l("Only the requester or a customer administrator can change who "
                            "is copied on this request."), "email")


def add(ticket: Ticket, actor: User, email: str) -> User:
    """Copy a colleague of the request's organisation; adding one already copied is no change."""
    _check(ticket, actor)
    colleague = db.session.scalar(select(User).where(
        User.email == canonical_address(email), User.organization_id == ticket.organization_id,
        User.active.is_(True)))
    if colleague is None or colleague.is_staff:  # another organisation's: the same answer
        raise TicketError(_l("No active colleague of this organisation has this address."),
                          "email")
    if colleague.id == ticket.requester_id:
        raise TicketError(_l("The requester already gets every mail of this request."), "email")
    if db.session.get(Watcher, (ticket.id, colleague.id)) is None:
        db.session.add(Watcher(ticket_id=ticket.id, user_id=colleague.id, added_by_id=actor.id))
        db.session.flush()
        record(actor, "ticket.watcher_added", ticket, ticket.organization_id,
               watcher=colleague.email)
    return colleague


def remove(ticket: Ticket, actor: User, user_id: int) -> bool:
    """Stop copying a colleague; False when they were not copied (the caller answers 404)."""
    _check(ticket, actor)
    watcher = db.session.get(Watcher, (ticket.id, user_id))
    if watcher is None:
        return False
    db.session.delete(watcher)
    db.session.flush()
    record(actor, "ticket.watcher_removed", ticket, ticket.organization_id, user_id=user_id)
    return True
