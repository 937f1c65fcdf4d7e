"""Workshop cancellation fees charged to an organisation, per month, for usage pages and exports.

A fee belongs to the month (in the organisation's zone, JST by default) in which the cancellation
or reschedule was received, i.e. the booking's `cancelled_at`. Provider cancellations never carry
a fee and do not appear.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.accounts.models import Organization
from portal.core.months import month_bounds
from portal.db import db
from portal.workshops.models import Booking, WorkshopSession


@dataclass(frozen=True)
class FeeCharge:
    """One fee line: which booking, when it was charged, for what, how much and why."""

    booking_id: int
    charged_at: datetime  # aware UTC: when the cancellation or reschedule was received
    charged_on: date  # that instant's day in the organisation's zone
    kind: str  # "cancelled" or "rescheduled"
    workshop_id: int
    title_ja: str
    title_en: str
    session_starts_on: date
    price: int  # the booking price, yen
    percent: int
    fee: int  # yen, tax excluded

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_ja


def fees_charged(org_id: int, month: str | date) -> list[FeeCharge]:
    """The organisation's workshop fees charged in `month` ("YYYY-MM" or any date in it)."""
    org = db.session.get(Organization, org_id)
    if org is None:
        return []
    start, end = month_bounds(month, org.timezone)
    rows = db.session.scalars(
        select(Booking).join(WorkshopSession)
        .options(contains_eager(Booking.session).joinedload(WorkshopSession.workshop))
        .where(Booking.organization_id == org_id, Booking.fee_charged > 0)
        .where(Booking.cancelled_at >= start, Booking.cancelled_at < end)
        .order_by(Booking.cancelled_at, Booking.id)
    )
    zone = ZoneInfo(org.timezone)
    return [FeeCharge(
        booking_id=b.id, charged_at=b.cancelled_at,
        charged_on=b.cancelled_at.astimezone(zone).date(), kind=b.status,
        workshop_id=b.session.workshop_id, title_ja=b.session.workshop.title_ja,
        title_en=b.session.workshop.title_en, session_starts_on=b.session.starts_on,
        price=b.price, percent=b.fee_percent, fee=b.fee_charged,
    ) for b in rows]


def fees_total(org_id: int, month: str | date) -> int:
    """The sum of `fees_charged(org_id, month)`, in yen."""
    return sum(charge.fee for charge in fees_charged(org_id, month))
