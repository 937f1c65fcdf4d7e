"""The usage of a month, its 12-month history, and the monthly billing export."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Organization
from portal.db import db
from portal.tickets.allowance import (
    MonthUsage,
    RequestFact,
    month_usage,
    overage_fee,
    previous_months,
)
from portal.tickets.models import Ticket
from portal.tickets.ranking import current_month, terms  # noqa: F401  (re-exported for views)


def month_tickets(org_id: int, month: str) -> list[Ticket]:
    return list(db.session.scalars(
        select(Ticket).where(Ticket.organization_id == org_id, Ticket.month == month)
        .order_by(Ticket.received_at, Ticket.id)))


def usage(org: Organization, month: str) -> tuple[MonthUsage, list[Ticket]]:
    """The month as the pure rule ranks it, with the requests it ranked."""
    tickets = month_tickets(org.id, month)
    included, unit_price = terms(org)
    facts = [RequestFact(t.id, t.received_at, counted=t.counted, voided=t.voided) for t in tickets]
    return month_usage(month, facts, included, unit_price, tz_name=org.timezone), tickets


@dataclass(frozen=True)
class MonthPoint:
    month: str
    counted: int
    included: int
    overage_fee: int


def history(org: Organization, month: str, months: int = 12) -> list[MonthPoint]:
    """Counted requests and overage fee for the last `months` months, oldest first (one query)."""
    span = previous_months(month, months)
    rows = dict(db.session.execute(
        select(Ticket.month, func.count(Ticket.id)).where(
            Ticket.organization_id == org.id, Ticket.month.in_(span), Ticket.counted.is_(True),
            Ticket.voided.is_(False)).group_by(Ticket.month)).all())
    included, unit_price = terms(org)
    return [MonthPoint(m, rows.get(m, 0), included, overage_fee(rows.get(m, 0), included, unit_price))
            for m in span]


def out_of_scope_items(org_id: int, month: str) -> list[Ticket]:
    return list(db.session.scalars(
        select(Ticket).where(Ticket.organization_id == org_id, Ticket.month == month,
                             Ticket.out_of_scope.is_not(None)).order_by(Ticket.received_at)))


EXPORT_COLUMNS = ("organization", "organization_name", "month", "counted", "included",
                  "overage_count", "overage_unit_price", "overage_fee", "out_of_scope_items",
                  "workshop_fees")


def workshop_fee_totals(month: str) -> dict[int, int]:
    """Workshop cancellation fees charged in the month, per organisation, the month taken in
    each organisation's own zone as on its usage page (one query per zone in use, usually one)."""
    from portal.core.months import month_bounds
    from portal.workshops.models import Booking

    totals: dict[int, int] = {}
    for zone in db.session.scalars(select(Organization.timezone).distinct()).all():
        start, end = month_bounds(month, zone)
        totals.update(db.session.execute(
            select(Booking.organization_id, func.sum(Booking.fee_charged))
            .join(Organization, Organization.id == Booking.organization_id)
            .where(Organization.timezone == zone, Booking.fee_charged > 0,
                   Booking.cancelled_at >= start, Booking.cancelled_at < end)
            .group_by(Booking.organization_id)).all())
    return totals


def billing_rows(month: str) -> list[dict]:
    """One row per organisation for the month, in a constant number of queries."""
    counts = dict(db.session.execute(
        select(Ticket.organization_id, func.count(Ticket.id)).where(
            Ticket.month == month, Ticket.counted.is_(True), Ticket.voided.is_(False))
        .group_by(Ticket.organization_id)).all())
    scope = {}
    for org_id, number, key in db.session.execute(
            select(Ticket.organization_id, Ticket.number, Ticket.out_of_scope).where(
                Ticket.month == month, Ticket.out_of_scope.is_not(None))):
        scope.setdefault(org_id, []).append(f"{number}:{key}")
    workshop_fees = workshop_fee_totals(month)
    rows = []
    orgs = select(Organization).options(selectinload(Organization.contracts)).order_by(Organization.slug)
    for org in db.session.scalars(orgs):
        included, unit_price = terms(org)
        counted = counts.get(org.id, 0)
        rows.append({
            "organization": org.slug, "organization_name": org.name, "month": month,
            "counted": counted, "included": included,
            "overage_count": max(0, counted - included), "overage_unit_price": unit_price,
            "overage_fee": overage_fee(counted, included, unit_price),
            "out_of_scope_items": " ".join(scope.get(org.id, [])),
            "workshop_fees": int(workshop_fees.get(org.id, 0)),
        })
    return rows


def billing_csv(month: str) -> bytes:
    """CSV that Excel opens with Japanese intact: UTF-8 with a byte-order mark, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(billing_rows(month))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
