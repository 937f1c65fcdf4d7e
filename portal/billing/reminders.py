"""Reminders about the contract and the month (jobs), each once:

- 60 days before a contract term ends, its customer administrators are reminded that proactive
  and enhanced services must be applied for before the end (services description 2.6), and
  unused ones lapse;
- when a month with overage has ended (in the organisation's zone), its customer
  administrators and the provider staff get the "review suggested" notice (terms [13]2): the
  allowance was exceeded, so a review of the contract is suggested for the next month.
"""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.accounts.models import STAFF_ROLES, Contract, Organization, Role, User
from portal.billing import services
from portal.core import clock
from portal.core.months import month_of, previous_months
from portal.db import db
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once
from portal.tickets.models import Ticket

CONTRACT_REMINDER_JOB = "contract_end_reminder"
OVERAGE_REVIEW_JOB = "overage_review"
DAYS_BEFORE_END = 60


def _customer_admins(org_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.organization_id == org_id, User.role == Role.CUSTOMER_ADMIN, User.active.is_(True))))


def remind_contract_end() -> int:
    """From 60 days before the last day of a term until it ends: one reminder per term."""
    now = clock.now()
    sent = 0
    soon = (now + timedelta(days=DAYS_BEFORE_END + 1)).date()
    contracts = db.session.scalars(select(Contract).where(
        Contract.term_end <= soon, Contract.term_end >= (now - timedelta(days=1)).date())
        .order_by(Contract.id))
    for contract in contracts:
        today = now.astimezone(ZoneInfo(contract.organization.timezone)).date()
        if not (contract.term_end - timedelta(days=DAYS_BEFORE_END) <= today <= contract.term_end):
            continue
        if mark_once(CONTRACT_REMINDER_JOB, f"contract:{contract.id}",
                     f"ends@{contract.term_end:%Y%m%d}"):
            for admin in _customer_admins(contract.organization_id):
                send_template(admin, "contract_ending", contract=contract,
                              organization=contract.organization,
                              days=(contract.term_end - today).days)
                sent += 1
    db.session.flush()
    return sent


def suggest_reviews() -> int:
    """The month that just ended in each organisation's zone: one notice if it had overage."""
    now = clock.now()
    sent = 0
    staff = list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES),
                                                       User.active.is_(True))))
    months = {previous_months(month_of(now, tz), 2)[0] for tz in db.session.scalars(
        select(Organization.timezone).distinct())}
    with_overage = db.session.execute(
        select(Ticket.organization_id, Ticket.month).where(
            Ticket.month.in_(months), Ticket.overage.is_(True), Ticket.voided.is_(False),
            Ticket.counted.is_(True)).distinct().order_by(Ticket.organization_id)).all()
    for org_id, month in with_overage:
        org = db.session.get(Organization, org_id)
        if month != previous_months(month_of(now, org.timezone), 2)[0]:
            continue  # that month has not ended yet in this organisation's zone
        summary, _tickets = services.usage(org, month)
        if not summary.review_suggested or not mark_once(
                OVERAGE_REVIEW_JOB, f"org:{org_id}", f"review@{month}"):
            continue
        for person in _customer_admins(org_id) + staff:
            send_template(person, "overage_review", organization=org, month=month,
                          usage=summary, staff=person.is_staff)
            sent += 1
    db.session.flush()
    return sent
