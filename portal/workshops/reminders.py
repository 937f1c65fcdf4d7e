"""A reminder to the booker the day before a booking's free-cancellation deadline (a job).

The deadline is the one the booking mail stated (`fees.cancellation_deadline`: the end of day
D - 14 in the organisation's zone, or earlier with the workshop's own tiers). The reminder goes
from 09:00 on the day before that day, once per booking and deadline (a rescheduled booking is
a new booking with its own), and only while cancelling is still free.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core import clock
from portal.db import db
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once
from portal.workshops.fees import cancellation_deadline
from portal.workshops.models import BOOKED, Booking, WorkshopSession

BOOKING_REMINDER_JOB = "booking_deadline_reminder"
REMIND_AT = time(9, 0)


def reminder_from(deadline: datetime) -> datetime:
    """09:00 local on the day before the deadline's day."""
    return datetime.combine(deadline.date() - timedelta(days=1), REMIND_AT, deadline.tzinfo)


def remind_bookers() -> int:
    now = clock.now()
    sent = 0
    soon = now.date() + timedelta(days=400)  # the deadline is at most a year or so ahead
    bookings = db.session.scalars(
        select(Booking).join(WorkshopSession, WorkshopSession.id == Booking.session_id)
        .where(Booking.status == BOOKED, WorkshopSession.starts_on > now.date(),
               WorkshopSession.starts_on <= soon)
        .options(joinedload(Booking.session).joinedload(WorkshopSession.workshop))
        .order_by(Booking.id)).unique()
    for booking in bookings:
        deadline = cancellation_deadline(booking.session.starts_on, booking.organization.timezone,
                                         tiers=booking.tiers)
        if not (reminder_from(deadline) <= now.astimezone(ZoneInfo(booking.organization.timezone))
                <= deadline):
            continue
        booker = booking.booked_by
        if booker is None or not booker.active:
            continue
        if mark_once(BOOKING_REMINDER_JOB, f"booking:{booking.id}",
                     f"free_until@{deadline:%Y%m%d}"):
            send_template(booker, "booking_deadline_reminder", booking=booking,
                          session=booking.session, workshop=booking.session.workshop,
                          deadline=deadline)
            sent += 1
    db.session.flush()
    return sent
