"""Filing requests, the thread, status and severity changes, and root-cause analysis."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import STAFF_ROLES, ClosureDay, Organization, Role, User
from portal.accounts.services import current_contract, record
from portal.core import clock
from portal.core.calendar import BusinessCalendar
from portal.core.i18n import _l
from portal.core.text import one_line
from portal.db import db, insert_ignore
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once
from portal.tickets import ranking, receipts, sla, survey
from portal.tickets.allowance import month_of
from portal.tickets.interfaces import AlreadyFiled, BackupLimitReached, NotAllowed, TicketError
from portal.tickets.models import (
    OPEN_STATUSES,
    Message,
    Status,
    Ticket,
    TicketCounter,
    Watcher,
)

STAFF_STATUSES = tuple(Status)
ESCALATION_JOB = "escalation"
CUSTOMER_STATUSES = (Status.RESOLVED, Status.CLOSED)


def calendar_for(org: Organization) -> BusinessCalendar:
    """The organisation's business calendar: contract hours, 24/365, provider closure days."""
    contract = current_contract(org)
    closures = g.get("closure_days") if has_request_context() else None
    if closures is None:
        closures = frozenset(db.session.scalars(select(ClosureDay.day)))
        if has_request_context():
            g.closure_days = closures
    return BusinessCalendar(
        tz_name=org.timezone, opens=contract.opens if contract else BusinessCalendar.opens,
        closes=contract.closes if contract else BusinessCalendar.closes,
        always_open=bool(contract and contract.always_open), closure_days=closures)


def target_for(ticket: Ticket, calendar: BusinessCalendar) -> sla.ResponseTarget:
    return sla.response_target(ticket.kind, ticket.severity, ticket.received_at, calendar,
                               azure_component=ticket.azure_component)


def _validate(kind: str, severity: str | None, subject: str, body: str) -> None:
    if kind not in sla.KINDS:
        raise TicketError(_l("Choose a question or an incident."), "kind")
    if kind == "incident" and severity not in sla.SEVERITIES:
        raise TicketError(_l("Choose the severity of the incident."), "severity")
    if not subject.strip():
        raise TicketError(_l("Enter a subject."), "subject")
    if not body.strip():
        raise TicketError(_l("Describe the request."), "body")


def file_ticket(requester: User, *, kind: str, subject: str, body: str, severity: str | None = None,
                azure_component: bool = False, product: str = "", source: str = "portal",
                acknowledge_overage: bool = False, backup_service: str | None = None,
                organization: Organization | None = None,
                received_at: datetime | None = None, filing_key: str | None = None) -> Ticket:
    """Receive a request: number it, start its clock, and take its place in the month's allowance.

    `received_at` is when the provider received it, if not now (a mail: the receiving server's
    time); the response clock starts there. `filing_key` is the form's one-time key: a second
    submission with it raises AlreadyFiled naming the request the first one filed.

    Raises OverageConfirmationRequired (the caller rolls back) when it would be overage and the
    fee was not acknowledged; severity 1 and A incidents are never held back.
    """
    org = organization if requester.is_staff else requester.organization
    if org is None:
        raise TicketError(_l("Choose the organisation."), "organization")
    severity = severity if kind == "incident" else None
    _validate(kind, severity, subject, body)
    received_at = min(received_at, clock.now()) if received_at else clock.now()
    month = month_of(received_at, org.timezone)
    counted = source != "provider" and backup_service is None
    admission = ranking.admit(org, month, kind, severity, acknowledge_overage) if counted else None
    ticket = Ticket(
        organization=org, requester=requester, kind=kind, severity=severity,
        azure_component=bool(azure_component and kind == "incident"), subject=one_line(subject)[:200],
        body=body.strip(), product=product.strip()[:200], status=Status.NEW, source=source,
        backup_service=backup_service, received_at=received_at, month=month, counted=counted,
        rank=admission.rank if admission else None, overage=bool(admission and admission.overage),
        updated_at=received_at, filing_key=filing_key or None)
    ticket.response_due_at = target_for(ticket, calendar_for(org)).due_at
    _number(ticket, org)
    _save_new(ticket)
    record(requester, "ticket.filed", ticket, org.id, number=ticket.number, kind=kind,
           severity=severity, rank=ticket.rank, overage=ticket.overage)
    _tell_staff_of_new(ticket)
    receipts.send_receipt(ticket)
    if admission and admission.notify_admin:
        _tell_admins(ticket, "overage_urgent", fee=admission.fee)
    return ticket


def _save_new(ticket: Ticket) -> None:
    """Insert the request; the unique constraint decides a race for the month's backup service."""
    db.session.add(ticket)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        earlier = filed_with_key(ticket.requester_id, ticket.filing_key)
        if earlier is not None:  # the same submission again (Back, reload, double click)
            raise AlreadyFiled(_l("This request has already been received."),
                               ticket_id=earlier.id) from error
        if ticket.backup_service:
            raise BackupLimitReached(
                _l("This backup service can be requested once a month; this month's request "
                   "has already been received.")) from error
        raise


def filed_with_key(requester_id: int | None, filing_key: str | None) -> Ticket | None:
    """The request a person already filed with this one-time form key, if any."""
    if not filing_key or requester_id is None:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.requester_id == requester_id,
                                                  Ticket.filing_key == filing_key))


DUPLICATE_WINDOW = timedelta(minutes=10)


def recent_identical(requester: User, subject: str, body: str) -> Ticket | None:
    """The person's request with the same subject and description filed in the last ten
    minutes: a second identical filing is asked about first (rules.md, double filing)."""
    return db.session.scalar(
        select(Ticket).where(Ticket.requester_id == requester.id,
                             Ticket.subject == one_line(subject)[:200],
                             Ticket.body == body.strip(),
                             Ticket.received_at >= clock.now() - DUPLICATE_WINDOW)
        .order_by(Ticket.received_at.desc()).limit(1))


def _number(ticket: Ticket, org: Organization) -> None:
    """The next number of the organisation, taken atomically (ACME-42)."""
    db.session.execute(insert_ignore(TicketCounter, organization_id=org.id, last=0))
    sequence = db.session.execute(
        update(TicketCounter).where(TicketCounter.organization_id == org.id)
        .values(last=TicketCounter.last + 1).returning(TicketCounter.last)
    ).scalar_one()
    ticket.sequence = sequence
    ticket.number = f"{org.slug.upper()}-{sequence}"


def _active_staff() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))))


URGENT_SEVERITIES = ("1", "A")


def _tell_staff_of_new(ticket: Ticket) -> None:
    urgent = ticket.severity in URGENT_SEVERITIES
    if urgent:  # the escalation job alerts all staff of a request that becomes urgent later
        mark_once(ESCALATION_JOB, f"ticket:{ticket.id}", "urgent")
    for member in _active_staff():
        send_template(member, "ticket_new", ticket=ticket, urgent=urgent)


def _customer_recipients(ticket: Ticket) -> list[User]:
    admins = db.session.scalars(select(User).where(
        User.organization_id == ticket.organization_id, User.role == Role.CUSTOMER_ADMIN,
        User.active.is_(True)))
    people = {user.id: user for user in admins}
    if ticket.requester and ticket.requester.active and not ticket.requester.is_staff:
        people[ticket.requester.id] = ticket.requester
    for watcher in watching(ticket):  # watchers (CC) get the requester's mails
        people.setdefault(watcher.id, watcher)
    return list(people.values())


def watching(ticket: Ticket) -> list[User]:
    """The active colleagues copied on a request (its organisation's people only)."""
    return list(db.session.scalars(
        select(User).join(Watcher, Watcher.user_id == User.id)
        .where(Watcher.ticket_id == ticket.id, User.active.is_(True),
               User.organization_id == ticket.organization_id).order_by(User.name, User.id)))


def _tell_admins(ticket: Ticket, template: str, **context) -> None:
    for user in _customer_recipients(ticket):
        if user.role == Role.CUSTOMER_ADMIN:
            send_template(user, template, ticket=ticket, **context)


def _tell_customer(ticket: Ticket, template: str, **context) -> None:
    for user in _customer_recipients(ticket):
        send_template(user, template, ticket=ticket, **context)


def add_message(ticket: Ticket, author: User, body: str, internal: bool = False) -> Message:
    """A reply or an internal note; the first public staff reply stops the response clock."""
    if not body.strip():
        raise TicketError(_l("Write a message."), "body")
    if internal and not author.is_staff:
        raise NotAllowed(_l("Only provider staff can write internal notes."), "internal")
    now = clock.now()
    message = Message(ticket_id=ticket.id, author=author, body=body.strip(), internal=internal,
                      created_at=now)
    db.session.add(message)
    ticket.updated_at = now
    if author.is_staff and not internal:
        _first_response(ticket, now)
        _tell_customer(ticket, "ticket_reply", message=message)
    elif not author.is_staff:
        if ticket.status == Status.WAITING:
            ticket.status = Status.IN_PROGRESS
        _tell_assignee_or_staff(ticket, "ticket_customer_reply", message=message)
    db.session.flush()
    return message


def _first_response(ticket: Ticket, now) -> None:
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        ticket.response_met = now <= ticket.response_due_at
        if ticket.status == Status.NEW:
            ticket.status = Status.IN_PROGRESS


def _tell_assignee_or_staff(ticket: Ticket, template: str, **context) -> None:
    people = [ticket.assignee] if ticket.assignee and ticket.assignee.active else _active_staff()
    for member in people:
        send_template(member, template, ticket=ticket, **context)


def change_status(ticket: Ticket, actor: User, status: str) -> None:
    allowed = STAFF_STATUSES if actor.is_staff else CUSTOMER_STATUSES
    if status not in allowed:
        raise TicketError(_l("This status cannot be chosen."), "status")
    if status == ticket.status:
        return
    before, ticket.status = ticket.status, status
    ticket.updated_at = clock.now()
    record(actor, "ticket.status_changed", ticket, ticket.organization_id, before=before,
           after=status)
    if actor.is_staff:
        _tell_customer(ticket, "ticket_status", before=before)
    else:
        _tell_assignee_or_staff(ticket, "ticket_status", before=before)
    if status in CUSTOMER_STATUSES and before in OPEN_STATUSES:
        survey.ask(ticket)  # once per request, whatever happens to it after


def change_severity(ticket: Ticket, actor: User, severity: str, reason: str) -> None:
    """Staff change the severity; the target is recomputed from the original receipt time."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only provider staff can change the severity."))
    if ticket.kind != "incident" or severity not in sla.SEVERITIES:
        raise TicketError(_l("Choose the severity of the incident."), "severity")
    if not reason.strip():
        raise TicketError(_l("Give the reason for the change."), "reason")
    before = ticket.severity
    ticket.severity = severity
    ticket.response_due_at = target_for(ticket, calendar_for(ticket.organization)).due_at
    ticket.escalation = None  # a new deadline escalates afresh (the job's marks name the deadline)
    if ticket.first_response_at:
        ticket.response_met = ticket.first_response_at <= ticket.response_due_at
    ticket.updated_at = clock.now()
    record(actor, "ticket.severity_changed", ticket, ticket.organization_id, before=before,
           after=severity, reason=reason.strip())
    _tell_customer(ticket, "ticket_severity", before=before, reason=reason.strip())


def request_severity_change(ticket: Ticket, actor: User, severity: str, reason: str) -> Message:
    """A customer asks for another severity while the request is open; staff decide."""
    if not ticket.is_open:
        raise TicketError(_l("The request is no longer open."), "severity")
    if ticket.kind != "incident" or severity not in sla.SEVERITIES or severity == ticket.severity:
        raise TicketError(_l("Choose another severity."), "severity")
    if not reason.strip():
        raise TicketError(_l("Give the reason for the change."), "reason")
    record(actor, "ticket.severity_change_requested", ticket, ticket.organization_id,
           before=ticket.severity, after=severity, reason=reason.strip())
    text = f"[{ticket.severity} → {severity}] {reason.strip()}"
    return add_message(ticket, actor, text)


def request_root_cause_analysis(ticket: Ticket, actor: User) -> None:
    if not ticket.is_open:
        raise TicketError(_l("A root-cause analysis can be requested only while the request is open."))
    if ticket.rca_requested_at:
        raise TicketError(_l("A root-cause analysis has already been requested."))
    if ticket.kind != "incident":
        raise TicketError(_l("A root-cause analysis is made for incidents only."))
    ticket.rca_requested_at = clock.now()
    record(actor, "ticket.rca_requested", ticket, ticket.organization_id)
    _tell_assignee_or_staff(ticket, "ticket_rca_requested")


def deliver_root_cause_analysis(ticket: Ticket, actor: User) -> None:
    if not actor.is_staff or not ticket.rca_requested_at:
        raise TicketError(_l("No root-cause analysis was requested."))
    ticket.rca_delivered_at = clock.now()
    record(actor, "ticket.rca_delivered", ticket, ticket.organization_id)
    _tell_customer(ticket, "ticket_rca_delivered")


def assign(ticket: Ticket, actor: User, assignee: User | None) -> None:
    if assignee is not None and not assignee.is_staff:
        raise TicketError(_l("Requests can be assigned to provider staff only."), "assignee")
    ticket.assignee = assignee
    record(actor, "ticket.assigned", ticket, ticket.organization_id,
           assignee=assignee.email if assignee else None)


def open_ticket_count(org_id: int) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(Ticket.id)).where(
        Ticket.organization_id == org_id, Ticket.status.in_(OPEN_STATUSES))) or 0


# For the automatic steps (portal/tickets/automation.py), which tell the same people.
active_staff = _active_staff
tell_customer = _tell_customer
tell_assignee_or_staff = _tell_assignee_or_staff
