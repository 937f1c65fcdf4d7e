"""The month's ranking, decided by the database so concurrent filings never share a rank.

Each (organisation, month) has one `usage_counters` row. Filing a counted request increments it
with a single `UPDATE … RETURNING`: PostgreSQL holds the row lock until the request commits, and
SQLite serialises writers, so with 4 of 5 used exactly one of several simultaneous requests gets
rank 5. The pure rule (`allowance.admission`) then says what that rank means.
"""
from __future__ import annotations

from sqlalchemy import and_, case, update

from portal.accounts.models import Organization
from portal.accounts.services import current_contract, record
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.core.money import yen
from portal.db import db, insert_ignore
from portal.tickets.allowance import Admission, admission, month_of
from portal.tickets.interfaces import OverageConfirmationRequired, TicketError
from portal.tickets.models import Ticket, UsageCounter


def _increment(org_id: int, month: str, delta: int) -> int:
    db.session.execute(insert_ignore(UsageCounter, organization_id=org_id, month=month, counted=0))
    return db.session.execute(
        update(UsageCounter)
        .where(UsageCounter.organization_id == org_id, UsageCounter.month == month)
        .values(counted=UsageCounter.counted + delta)
        .returning(UsageCounter.counted)
    ).scalar_one()


def current_month(org: Organization) -> str:
    """This month ("YYYY-MM") in the organisation's zone."""
    return month_of(clock.now(), org.timezone)


def terms(org: Organization) -> tuple[int, int]:
    """(requests included per month, overage unit price) of the organisation's contract."""
    contract = current_contract(org)
    return (contract.included_requests, contract.overage_unit_price) if contract else (5, 0)


def admit(org: Organization, month: str, kind: str, severity: str | None,
          acknowledged: bool) -> Admission:
    """Take the next rank of the month; refuse an unacknowledged overage (not 1/A incidents).

    A refusal gives the rank back at once, in the same transaction (which keeps the counter's
    row lock): the form shown again with the refusal previews the same rank the refusal names,
    "request 7" in both places, not "request 8" above "request 7" (issue 18)."""
    rank = _increment(org.id, month, +1)
    included, unit_price = terms(org)
    decision = admission(rank - 1, included, unit_price, kind=kind, severity=severity)
    if decision.needs_acknowledgement and not acknowledged:
        _increment(org.id, month, -1)
        raise OverageConfirmationRequired(
            _("This is request %(rank)s of the %(included)s included this month. It will be "
              "billed as overage: %(fee)s (tax excluded). Please confirm the fee.",
              rank=rank, included=included, fee=_yen(decision.fee)),
            rank=rank, included=included, fee=decision.fee)
    return decision


def _yen(amount: int) -> str:
    """The fee as the page's `yen` filter writes it (￥20,000 in Japanese), so the refusal and
    the notice above the form name the same amount the same way."""
    return yen(amount, "ja_JP" if current_language() == "ja" else "en_US")


def preview(org: Organization, month: str, kind: str, severity: str | None) -> Admission:
    """What the next request would be, for the form (not a reservation)."""
    counter = db.session.get(UsageCounter, (org.id, month))
    included, unit_price = terms(org)
    return admission(counter.counted if counter else 0, included, unit_price, kind=kind,
                     severity=severity)


def void(ticket: Ticket, actor, reason: str) -> None:
    """Staff void a request: it leaves the ranking and later requests move up."""
    if not reason.strip():
        raise TicketError(_("Give the reason for voiding the request."), "reason")
    if ticket.voided:
        raise TicketError(_("The request is already void."), "reason")
    old_rank = _leave_ranking(ticket)
    ticket.voided, ticket.void_reason = True, reason.strip()
    record(actor, "ticket.voided", ticket, ticket.organization_id, reason=reason.strip(),
           rank=old_rank)


def _leave_ranking(ticket: Ticket) -> int | None:
    """Take the request out of its month's ranking; later ones move up. Its old rank."""
    old_rank = ticket.rank
    ticket.rank, ticket.overage = None, False
    if ticket.counted and old_rank is not None:
        _increment(ticket.organization_id, ticket.month, -1)
        _move_up(ticket, old_rank)
    return old_rank


def _move_up(ticket: Ticket, old_rank: int) -> None:
    included, _price = terms(ticket.organization)
    same_month = and_(Ticket.organization_id == ticket.organization_id,
                      Ticket.month == ticket.month, Ticket.rank.is_not(None))
    db.session.execute(update(Ticket).where(same_month, Ticket.rank > old_rank)
                       .values(rank=Ticket.rank - 1).execution_options(synchronize_session=False))
    db.session.execute(update(Ticket).where(same_month)
                       .values(overage=case((Ticket.rank > included, True), else_=False))
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def mark_out_of_scope(ticket: Ticket, actor, exclusion: str, reason: str) -> None:
    """Staff mark a request out of scope (terms [10]): billed separately at the standard rate
    *instead of* counting, so like a void it leaves the month's ranking (later ones move up)
    and is no longer counted; a second marking changes only the exclusion and the reason."""
    from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS

    if exclusion not in {item["key"] for item in OUT_OF_SCOPE_EXCLUSIONS}:
        raise TicketError(_("Choose the exclusion that applies."), "exclusion")
    old_rank = _leave_ranking(ticket) if ticket.out_of_scope is None else None
    ticket.counted = False
    ticket.out_of_scope, ticket.out_of_scope_reason = exclusion, reason.strip()
    record(actor, "ticket.out_of_scope", ticket, ticket.organization_id, exclusion=exclusion,
           reason=reason.strip(), rank=old_rank)
