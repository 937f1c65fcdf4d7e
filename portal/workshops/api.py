"""/api/v1 workshop endpoints: sessions, bookings, cancellation quotes and cancelling; staff
add workshops and sessions. The same services as the pages, so both always agree."""
from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import select

from portal.accounts.tenancy import get_scoped_or_404, scope
from portal.core import clock
from portal.core.i18n import current_language
from portal.core.money import money_json
from portal.core.months import DEFAULT_ZONE
from portal.db import db, get_or_404
from portal.web.api import api_user, instant, operation
from portal.workshops import api_schemas as schemas
from portal.workshops import catalog, services
from portal.workshops.fees import cancellation_deadline
from portal.workshops.models import Booking, Workshop, WorkshopSession


def _instant(value: datetime | None, tz: str = DEFAULT_ZONE, spec: str = "seconds") -> str | None:
    return instant(value, tz, spec)


def session_json(session: WorkshopSession) -> dict:
    workshop = session.workshop
    return {"id": session.id, "workshop": {"id": workshop.id, "title": workshop.title(current_language())},
            "starts_on": session.starts_on.isoformat(), "ends_on": session.ends_on.isoformat(),
            "seats_left": session.seats_left, "capacity": session.capacity,
            "price": money_json(workshop.price), "pricing": workshop.pricing,
            "delivery": workshop.delivery, "status": session.status}


def workshop_json(workshop: Workshop) -> dict:
    fields = ("id", "title_ja", "title_en", "description_ja", "description_en", "days", "delivery",
              "pricing", "capacity", "min_attendees", "late_fee_tiers", "archived")
    return {**{name: getattr(workshop, name) for name in fields}, "price": money_json(workshop.price)}


def booking_json(booking: Booking) -> dict:
    session, org = booking.session, booking.organization
    deadline = cancellation_deadline(session.starts_on, org.timezone, tiers=booking.tiers)
    return {
        "id": booking.id, "session_id": session.id,
        "organization": {"id": org.id, "slug": org.slug, "name": org.name},
        "workshop": {"id": session.workshop_id, "title": session.workshop.title(current_language())},
        "starts_on": session.starts_on.isoformat(), "ends_on": session.ends_on.isoformat(),
        "status": booking.status, "price": money_json(booking.price),
        "attendees": [{"name": a.name, "email": a.email} for a in booking.attendees],
        "cancellation_deadline": _instant(deadline, org.timezone, "milliseconds"),
        "created_at": _instant(booking.created_at, org.timezone),
        "fee_charged": money_json(booking.fee_charged), "fee_percent": booking.fee_percent,
        "cancelled_at": _instant(booking.cancelled_at, org.timezone),
        "cancelled_by_provider": booking.cancelled_by_provider,
        "contract_warning": booking.contract_warning,
        "rescheduled_from": booking.rescheduled_from_id,
        "rescheduled_to": booking.rescheduled_to.id if booking.rescheduled_to else None,
    }


def quote_json(quote, tz: str) -> dict:
    return {"deadline": _instant(quote.deadline, tz, "milliseconds"), "free": quote.free,
            "fee": money_json(quote.fee), "percent": quote.percent, "allowed": quote.allowed,
            "days_before": quote.days_before, "at": _instant(clock.now(), tz),
            "reason": quote.reason}


def _only(check) -> None:
    if not check(api_user()):
        abort(403)


def _booking(booking_id: int) -> Booking:
    user = api_user()
    _only(lambda u: u.is_staff or u.is_customer_admin)
    return get_scoped_or_404(Booking, booking_id, user=user)


@operation("get", "/workshops/sessions", answer=schemas.WorkshopSessionList,
           summary="Workshop sessions from today on, with seats left and price")
def api_sessions():
    today = catalog.today_jst() if api_user().is_staff else services.org_today(api_user().organization)
    return {"items": [session_json(s) for s in services.upcoming_sessions(today)]}


@operation("get", "/workshops", summary="The workshop catalogue", answer=schemas.WorkshopList)
def api_workshops():
    return {"items": [workshop_json(w) for w in
                      catalog.workshops(include_archived=api_user().is_staff)]}


@operation("post", "/workshops", summary="Add a workshop to the catalogue (staff)",
           body=schemas.NewWorkshop, answer=schemas.Workshop, status=201, errors=(403,))
def api_create_workshop(body: schemas.NewWorkshop):
    _only(lambda u: u.is_staff)
    values = body.model_dump()
    workshop = catalog.create_workshop(api_user(), **values)
    return workshop_json(workshop)


@operation("post", "/workshops/<int:workshop_id>/sessions", body=schemas.NewSession,
           summary="Schedule a session of a workshop (staff)", answer=schemas.WorkshopSession,
           status=201, errors=(403,))
def api_create_session(workshop_id: int, body: schemas.NewSession):
    _only(lambda u: u.is_staff)
    workshop = get_or_404(Workshop, workshop_id)
    return session_json(catalog.create_session(workshop, api_user(), body.starts_on,
                                               body.ends_on))


@operation("get", "/bookings", answer=schemas.BookingList, errors=(403,),
           summary="The organisation's bookings (customer administrator; staff see all)")
def api_bookings():
    user = api_user()
    _only(lambda u: u.is_staff or u.is_customer_admin)
    query = scope(select(Booking).order_by(Booking.id.desc()), Booking, user)
    return {"items": [booking_json(b) for b in db.session.scalars(query)]}


@operation("post", "/bookings", body=schemas.NewBooking, answer=schemas.Booking, status=201,
           summary="Book a session for named attendees (customer administrator)",
           errors=(403, 404, 409))
def api_book(body: schemas.NewBooking):
    _only(lambda u: u.is_customer_admin)
    people = [services.AttendeeInput(a.name, a.email) for a in body.attendees]
    return booking_json(services.book(api_user(), body.session_id, people))


@operation("get", "/bookings/<int:booking_id>", summary="One booking", answer=schemas.Booking,
           errors=(403,))
def api_booking(booking_id: int):
    return booking_json(_booking(booking_id))


@operation("get", "/bookings/<int:booking_id>/cancellation-quote",
           summary="What cancelling or rescheduling costs now (the 14-day rule)",
           answer=schemas.CancellationQuote, errors=(403,))
def api_quote(booking_id: int):
    booking = _booking(booking_id)
    return quote_json(services.quote(booking), booking.organization.timezone)


def _acknowledged(body: schemas.Cancellation, booking: Booking) -> int | None:
    """`acknowledge_fee: true` accepts the fee that applies at this moment."""
    return services.quote(booking).fee if body.acknowledge_fee else None


@operation("post", "/bookings/<int:booking_id>/cancel", body=schemas.Cancellation,
           body_required=False, answer=schemas.Booking, errors=(403, 409),
           summary="Cancel a booking; 409 fee_confirmation_required until acknowledge_fee is true")
def api_cancel(booking_id: int, body: schemas.Cancellation):
    booking = _booking(booking_id)
    _only(lambda u: u.is_customer_admin)
    services.cancel_booking(booking, api_user(), _acknowledged(body, booking), body.reason)
    return booking_json(booking)


@operation("post", "/bookings/<int:booking_id>/reschedule", body=schemas.Reschedule,
           answer=schemas.Booking, status=201, errors=(403, 409),
           summary="Move a booking to another session of the same workshop (same fee as "
                   "cancelling)")
def api_reschedule(booking_id: int, body: schemas.Reschedule):
    booking = _booking(booking_id)
    _only(lambda u: u.is_customer_admin)
    new = services.reschedule(booking, api_user(), body.session_id, _acknowledged(body, booking),
                              body.reason)
    return booking_json(new)
