"""A request's lifecycle past filing (rules.md, "The request lifecycle"): a void closes the
request, out of scope takes it out of the month's ranking, and both tell the customer; a
customer's reply reopens a resolved request and files a linked follow-up of a closed one."""
from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import _l
from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS
from portal.tickets import ranking, services
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Message, Status, Ticket


def void(ticket: Ticket, actor, reason: str) -> None:
    """Staff void a request: it leaves the ranking, is closed, and the customer is told why."""
    ranking.void(ticket, actor, reason)
    if ticket.status != Status.CLOSED:
        ticket.status = Status.CLOSED
    ticket.updated_at = clock.now()
    services.tell_customer(ticket, "ticket_void", reason=reason.strip())


def exclusion(number_or_key: int | str) -> dict | None:
    """An exclusion of terms [10] by its item number (the API) or its key (the form)."""
    return next((item for item in OUT_OF_SCOPE_EXCLUSIONS
                 if number_or_key in (item["no"], item["key"])), None)


def mark_out_of_scope(ticket: Ticket, actor, number_or_key: int | str, reason: str) -> None:
    """Staff mark a request out of scope: billed at the standard rate instead of counting, so
    it leaves the ranking (later ones move up); the customer is told the exclusion and why."""
    item = exclusion(number_or_key)
    if item is None:
        raise TicketError(_l("Choose the exclusion that applies."), "exclusion")
    if not reason.strip():
        raise TicketError(_l("Give the reason."), "reason")
    if ticket.voided:
        raise TicketError(_l("The request is void."), "exclusion")
    ranking.mark_out_of_scope(ticket, actor, item["key"], reason)
    ticket.updated_at = clock.now()
    services.tell_customer(ticket, "ticket_out_of_scope", exclusion=item, reason=reason.strip())


def reopen(ticket: Ticket, actor, tell_staff: bool = True) -> None:
    """The customer reopens a resolved request (the Reopen button, or a reply, whose own mail
    tells staff): in progress again, back in the queue; the same request, not counted again."""
    if ticket.status != Status.RESOLVED:
        raise TicketError(_l("Only a resolved request can be reopened."), "status")
    ticket.status = Status.IN_PROGRESS
    ticket.updated_at = clock.now()
    record(actor, "ticket.reopened", ticket, ticket.organization_id)
    if tell_staff:
        services.tell_assignee_or_staff(ticket, "ticket_reopened")


@dataclass(frozen=True)
class Reply:
    """What a reply became: a message on the request, or a new request following up a
    closed one (`follow_up`)."""

    ticket: Ticket
    message: Message | None
    follow_up: bool = False


def reply(ticket: Ticket, author, body: str, internal: bool = False,
          acknowledge_overage: bool = False, source: str = "portal") -> Reply:
    """A reply from any channel. A customer's reply to a resolved request reopens it; to a
    closed one it files a new request linked to it, counted like any new request (the fee of
    an overage one must be acknowledged, as on the form)."""
    if author.is_staff or ticket.status != Status.CLOSED:
        reopening = not author.is_staff and ticket.status == Status.RESOLVED
        message = services.add_message(ticket, author, body, internal)
        if reopening:
            reopen(ticket, author, tell_staff=False)
        return Reply(ticket, message)
    if not body.strip():
        raise TicketError(_l("Write a message."), "body")
    follow_up = services.file_ticket(
        author, kind=ticket.kind, severity=ticket.severity,
        azure_component=ticket.azure_component, product=ticket.product,
        subject=ticket.subject, body=body, source=source,
        acknowledge_overage=acknowledge_overage)
    link_follow_up(follow_up, ticket, author)
    return Reply(follow_up, None, follow_up=True)


def link_follow_up(follow_up: Ticket, closed: Ticket, author) -> None:
    """Mark a new request as the follow-up of a closed one; the closed one's thread says so."""
    follow_up.follow_up_of_id = closed.id
    record(author, "ticket.follow_up_filed", closed, closed.organization_id,
           number=follow_up.number, follow_up_id=follow_up.id)
