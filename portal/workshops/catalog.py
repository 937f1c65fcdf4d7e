"""Staff services: the workshop catalogue, sessions, and cancelling a session as the provider.

Services only flush; the request (or CLI command) commits. Each raises WorkshopError with a
message for the user and the form field it belongs to.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import _l
from portal.core.months import FIRST_DAY, LAST_DAY, is_day_in_range
from portal.db import db
from portal.workshops import mail
from portal.workshops.fees import PRICINGS, local_date
from portal.workshops.interfaces import SessionUnavailable, WorkshopError
from portal.workshops.models import (
    BOOKED,
    CANCELLED,
    DELIVERIES,
    PROVIDER_REASONS,
    SCHEDULED,
    Booking,
    Workshop,
    WorkshopSession,
    normalise_tiers,
)

FIELDS = ("title_ja", "title_en", "description_ja", "description_en", "days", "delivery",
          "pricing", "price", "capacity", "min_attendees", "late_fee_tiers")
MAX_DAYS = 30
MAX_CAPACITY = 1000
MAX_PRICE = 100_000_000
TIER_RE = re.compile(r"^\s*(-?\d+)\s*[=:]\s*(-?\d+)\s*%?\s*$")


def parse_tiers(text: str) -> list[tuple[int, int]]:
    """Read tiers typed as "13=50, 3=100" (days before the first day = percent)."""
    pairs = []
    for part in filter(None, (p.strip() for p in re.split(r"[,\n;、]", text or ""))):
        match = TIER_RE.match(part)
        if not match:
            raise WorkshopError(_l("Write each tier as days=percent, for example 13=50, 3=100."),
                                "late_fee_tiers")
        pairs.append((int(match.group(1)), int(match.group(2))))
    return pairs


def _whole(value, field: str, low: int, high: int, message) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WorkshopError(message, field)
    return value


def _check(values: dict) -> dict:
    """Clean and check a workshop's fields; tiers above 100% or 13 days are refused."""
    for field in ("title_ja", "title_en"):
        values[field] = str(values.get(field) or "").strip()[:200]
        if not values[field]:
            raise WorkshopError(_l("Enter the title in Japanese and in English."), field)
    for field in ("description_ja", "description_en"):
        values[field] = str(values.get(field) or "").strip()
    if values.get("delivery") not in DELIVERIES:
        raise WorkshopError(_l("Choose remote or on-site."), "delivery")
    if values.get("pricing") not in PRICINGS:
        raise WorkshopError(_l("Choose per attendee or dedicated pricing."), "pricing")
    _whole(values.get("days"), "days", 1, MAX_DAYS, _l("A workshop lasts 1 to 30 days."))
    _whole(values.get("price"), "price", 0, MAX_PRICE, _l("Enter the price in whole yen."))
    _whole(values.get("capacity"), "capacity", 1, MAX_CAPACITY,
           _l("The capacity is 1 to 1,000 attendees."))
    _whole(values.get("min_attendees"), "min_attendees", 0, values["capacity"],
           _l("The minimum number of attendees cannot exceed the capacity."))
    values["late_fee_tiers"] = _checked_tiers(values.get("late_fee_tiers") or [])
    return values


def _checked_tiers(tiers) -> list:
    try:
        return normalise_tiers(tiers)
    except (ValueError, TypeError):
        raise WorkshopError(_l("Each tier needs days before the first day from 0 to 13 and a "
                               "percent from 0 to 100, each days value once."),
                            "late_fee_tiers") from None


def create_workshop(actor: User, **values) -> Workshop:
    values = _check({field: values.get(field) for field in FIELDS})
    workshop = Workshop(**values, archived=False)
    db.session.add(workshop)
    db.session.flush()
    record(actor, "workshop.created", workshop, None, title=workshop.title_ja)
    return workshop


def update_workshop(workshop: Workshop, actor: User, **values) -> Workshop:
    """Change the catalogue entry; sessions keep their capacity and bookings their price and tiers."""
    values = _check({field: values.get(field) for field in FIELDS})
    before = {field: getattr(workshop, field) for field in FIELDS}
    for field, value in values.items():
        setattr(workshop, field, value)
    db.session.flush()
    changed = {field: [before[field], values[field]] for field in FIELDS
               if before[field] != values[field]}
    record(actor, "workshop.updated", workshop, None, changed=changed)
    return workshop


def set_archived(workshop: Workshop, actor: User, archived: bool) -> Workshop:
    """Archived workshops stay in the history but get no new sessions."""
    workshop.archived = archived
    record(actor, "workshop.archived" if archived else "workshop.restored", workshop, None)
    return workshop


def delete_workshop(workshop: Workshop, actor: User) -> None:
    if workshop.sessions:
        raise WorkshopError(_l("This workshop has sessions: archive it instead."))
    record(actor, "workshop.deleted", workshop, None, title=workshop.title_ja)
    db.session.delete(workshop)


def today_jst() -> date:
    return local_date(clock.now())


def create_session(workshop: Workshop, actor: User, starts_on: date,
                   ends_on: date | None = None) -> WorkshopSession:
    """Schedule a session; it ends `days - 1` days after it starts unless told otherwise."""
    if workshop.archived:
        raise WorkshopError(_l("This workshop is archived."))
    if not isinstance(starts_on, date) or starts_on <= today_jst():
        raise WorkshopError(_l("A session starts after today."), "starts_on")
    if not is_day_in_range(starts_on) or (ends_on is not None and not is_day_in_range(ends_on)):
        raise WorkshopError(_l("Enter a date between %(first)s and %(last)s.",
                               first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()),
                            "starts_on" if not is_day_in_range(starts_on) else "ends_on")
    ends_on = ends_on or starts_on + timedelta(days=workshop.days - 1)
    if ends_on < starts_on:
        raise WorkshopError(_l("The last day cannot be before the first day."), "ends_on")
    session = WorkshopSession(workshop=workshop, starts_on=starts_on, ends_on=ends_on,
                              capacity=workshop.capacity, seats_taken=0, status=SCHEDULED,
                              cancel_note="")
    db.session.add(session)
    db.session.flush()
    record(actor, "workshop_session.created", session, None, workshop_id=workshop.id,
           starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return session


def cancel_session(session: WorkshopSession, actor: User, reason: str, note: str = "") -> int:
    """The provider cancels a session: every booking is cancelled free and everyone is told.

    Returns how many bookings were cancelled. The status change is a conditional UPDATE, so a
    booking racing with it either lands before (and is cancelled here) or is refused.
    """
    if reason not in PROVIDER_REASONS:
        raise WorkshopError(_l("Choose why the session is cancelled."), "reason")
    now = clock.now()
    claimed = db.session.execute(
        update(WorkshopSession)
        .where(WorkshopSession.id == session.id, WorkshopSession.status == SCHEDULED)
        .values(status=CANCELLED, cancelled_at=now, cancelled_by_id=actor.id,
                cancel_reason=reason, cancel_note=(note or "").strip()[:2000], seats_taken=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise SessionUnavailable(_l("This session is already cancelled."))
    db.session.expire(session)
    bookings = db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.status == BOOKED)
    ).all()
    for booking in bookings:
        _cancel_for_provider(booking, actor, now, reason)
    record(actor, "workshop_session.cancelled", session, None, reason=reason,
           bookings=len(bookings))
    return len(bookings)


def _cancel_for_provider(booking: Booking, actor: User, now, reason: str) -> None:
    booking.status = CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by_id = actor.id
    booking.cancelled_by_provider = True
    booking.fee_charged = 0
    booking.fee_percent = 0
    booking.reason = reason
    db.session.flush()
    record(actor, "booking.cancelled_by_provider", booking, booking.organization_id,
           reason=reason, fee=0)
    mail.session_cancelled(booking)


def workshops(include_archived: bool = True) -> list[Workshop]:
    query = select(Workshop).order_by(Workshop.archived, Workshop.id)
    if not include_archived:
        query = query.where(Workshop.archived.is_(False))
    return list(db.session.scalars(query))
