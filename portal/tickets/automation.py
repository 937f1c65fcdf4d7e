"""What happens to requests by itself (the job runner, portal/ops/jobs.py, runs these):

- escalation: no first public reply at 75 % of the target time alerts the assignee (else all
  active staff); at the deadline the provider administrators; a request that became severity 1
  or A after filing alerts all staff (at filing, services.file_ticket already did);
- a reminder to the requester after N business days waiting for the customer (once per
  waiting period);
- a resolved request closes after N business days without a customer reply.

Each effect inserts its job mark first (ops.jobs.mark_once) in the same transaction: the second
runner to get there finds the mark and does nothing. Time is counted in the request's own
calendar (business hours or 24x7; business days skip weekends, holidays and closure days).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import exists, select

from portal.accounts.models import Role, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.calendar import BusinessCalendar
from portal.db import db
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once, report_skipped, setting
from portal.tickets import sla
from portal.tickets.models import OPEN_STATUSES, Message, Status, Ticket
from portal.tickets.services import (
    ESCALATION_JOB,
    URGENT_SEVERITIES,
    active_staff,
    calendar_for,
    tell_assignee_or_staff,
    tell_customer,
)

REMINDER_JOB = "waiting_reminder"
AUTO_CLOSE_JOB = "auto_close"


class _Calendars(dict):
    """One calendar per organisation for the length of a job."""

    def of(self, ticket: Ticket) -> BusinessCalendar:
        if ticket.organization_id not in self:
            self[ticket.organization_id] = calendar_for(ticket.organization)
        return self[ticket.organization_id]


def _subject(ticket: Ticket) -> str:
    return f"ticket:{ticket.id}"


def _stamp(instant: datetime) -> str:
    """A waiting or resolved period, named by the UTC instant it began."""
    return f"{instant.astimezone(UTC):%Y%m%dT%H%M%S}"


def _provider_admins() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role == Role.STAFF_ADMIN, User.active.is_(True))))


def escalate() -> int:
    """Alert on unanswered requests nearing or past their deadline; returns the alerts queued."""
    now = clock.now()
    calendars = _Calendars()
    alerts = 0
    unanswered = db.session.scalars(
        select(Ticket).where(Ticket.status.in_(OPEN_STATUSES), Ticket.first_response_at.is_(None),
                             Ticket.voided.is_(False))
        .where((Ticket.escalation.is_(None)) | (Ticket.escalation != "overdue")
               | Ticket.severity.in_(URGENT_SEVERITIES))
        .order_by(Ticket.id))
    for ticket in unanswered.all():
        number = ticket.number
        try:  # a savepoint per request: one that fails does not undo the others' alerts
            with db.session.begin_nested():
                alerts += _escalate_one(ticket, calendars.of(ticket), now)
        except Exception as error:  # reported on /backoffice/jobs, the others go on
            report_skipped(number, error)
    db.session.flush()
    return alerts


def _escalate_one(ticket: Ticket, calendar: BusinessCalendar, now: datetime) -> int:
    """The alerts one unanswered request is due now (each once: its job marks)."""
    alerts = 0
    target = sla.stored_target(ticket.kind, ticket.severity, ticket.received_at,
                               ticket.response_due_at, calendar,
                               azure_component=ticket.azure_component)
    left = sla.time_left(target, now, calendar)
    deadline = f"{ticket.response_due_at.astimezone(UTC):%Y%m%dT%H%M}"  # names the deadline
    overdue = now >= target.due_at
    if ticket.severity in URGENT_SEVERITIES and mark_once(ESCALATION_JOB, _subject(ticket),
                                                          "urgent"):
        for member in active_staff():
            send_template(member, "ticket_new", ticket=ticket, urgent=True)
            alerts += 1
    if (left.at_risk or overdue) and mark_once(ESCALATION_JOB, _subject(ticket),
                                               f"at_risk@{deadline}"):
        tell_assignee_or_staff(ticket, "escalation_at_risk", left=left.remaining)
        ticket.escalation = ticket.escalation or "at_risk"
        alerts += 1
    if overdue and mark_once(ESCALATION_JOB, _subject(ticket), f"overdue@{deadline}"):
        for admin in _provider_admins():
            send_template(admin, "escalation_overdue", ticket=ticket)
            alerts += 1
        ticket.escalation = "overdue"
    if ticket.escalation and not overdue and not left.at_risk:
        ticket.escalation = None  # the deadline moved away (severity lowered)
    return alerts


def _customer_replied_since():
    return exists().where(
        Message.ticket_id == Ticket.id, Message.internal.is_(False),
        Message.created_at > Ticket.status_changed_at,
        Message.author_id.in_(select(User.id).where(User.role.in_(
            (Role.CUSTOMER_ADMIN, Role.CONTACT)))))


def remind_waiting() -> int:
    """One reminder to the requester of a request waiting for them for N business days."""
    days = setting("waiting_reminder_business_days")
    now = clock.now()
    calendars = _Calendars()
    sent = 0
    waiting = db.session.scalars(
        select(Ticket).where(Ticket.status == Status.WAITING).order_by(Ticket.id))
    for ticket in waiting:
        due = calendars.of(ticket).business_days_later(ticket.status_changed_at, days)
        if now < due:
            continue
        requester = ticket.requester
        if requester is None or not requester.active or requester.is_staff:
            continue
        if mark_once(REMINDER_JOB, _subject(ticket), _stamp(ticket.status_changed_at)):
            send_template(requester, "ticket_waiting_reminder", ticket=ticket, days=days)
            record(None, "ticket.reminder_sent", ticket, ticket.organization_id,
                   to=requester.email, business_days=days)
            sent += 1
    db.session.flush()
    return sent


def close_resolved() -> int:
    """Close the requests resolved N business days ago without a customer reply since."""
    days = setting("auto_close_business_days")
    now = clock.now()
    calendars = _Calendars()
    closed = 0
    resolved = db.session.scalars(
        select(Ticket).where(Ticket.status == Status.RESOLVED,
                             ~_customer_replied_since()).order_by(Ticket.id))
    for ticket in resolved:
        due = calendars.of(ticket).business_days_later(ticket.status_changed_at, days)
        if now < due:
            continue
        if mark_once(AUTO_CLOSE_JOB, _subject(ticket), _stamp(ticket.status_changed_at)):
            ticket.status = Status.CLOSED
            ticket.updated_at = now
            record(None, "ticket.auto_closed", ticket, ticket.organization_id,
                   before=Status.RESOLVED.value, after=Status.CLOSED.value, business_days=days)
            tell_customer(ticket, "ticket_status", before=Status.RESOLVED)
            closed += 1
    db.session.flush()
    return closed
