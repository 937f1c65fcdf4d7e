"""/api/v1 workshop endpoints: sessions, bookings, cancellation quotes and cancelling; staff
add workshops and sessions. The same services as the pages, so both always agree."""
from __future__ import annotations

from datetime import date, datetime

from flask import abort, jsonify, request
from sqlalchemy import select

from portal.accounts.tenancy import get_scoped_or_404, scope
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.core.money import money_json
from portal.core.months import DEFAULT_ZONE
from portal.db import db
from portal.errors import api_error
from portal.web.api import api_user, bp, instant
from portal.web.openapi import register
from portal.workshops import catalog, services
from portal.workshops.api_docs import PATHS, SCHEMAS
from portal.workshops.fees import cancellation_deadline
from portal.workshops.interfaces import FeeConfirmationRequired, WorkshopError
from portal.workshops.models import Booking, Workshop, WorkshopSession

register(PATHS, SCHEMAS)


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


def _error(error: WorkshopError):
    fields = {error.field: str(error.message)} if error.field else None
    extra = {}
    if isinstance(error, FeeConfirmationRequired):
        extra = {"fee": money_json(error.quote.fee), "percent": error.quote.percent,
                 "deadline": _instant(error.quote.deadline, spec="milliseconds")}
    return api_error(error.status, str(error.message), code=error.code, fields=fields, **extra)


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def _only(check) -> None:
    if not check(api_user()):
        abort(403)


def _booking(booking_id: int) -> Booking:
    user = api_user()
    _only(lambda u: u.is_staff or u.is_customer_admin)
    return get_scoped_or_404(Booking, booking_id, user=user)


@bp.get("/workshops/sessions")
def api_sessions():
    today = catalog.today_jst() if api_user().is_staff else services.org_today(api_user().organization)
    return jsonify({"items": [session_json(s) for s in services.upcoming_sessions(today)]})


@bp.get("/workshops")
def api_workshops():
    return jsonify({"items": [workshop_json(w) for w in
                              catalog.workshops(include_archived=api_user().is_staff)]})


@bp.post("/workshops")
def api_create_workshop():
    _only(lambda u: u.is_staff)
    body = _body()
    values = {name: body.get(name) for name in catalog.FIELDS}
    values["delivery"] = body.get("delivery", "remote")
    for name in ("description_ja", "description_en"):
        values[name] = values[name] or ""
    try:
        workshop = catalog.create_workshop(api_user(), **values)
    except WorkshopError as error:
        return _error(error)
    return jsonify(workshop_json(workshop)), 201


def _date(body: dict, name: str, required: bool) -> date | None:
    value = body.get(name)
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise WorkshopError(_("Enter a date as YYYY-MM-DD."), name) from None


@bp.post("/workshops/<int:workshop_id>/sessions")
def api_create_session(workshop_id: int):
    _only(lambda u: u.is_staff)
    workshop = db.get_or_404(Workshop, workshop_id)
    body = _body()
    try:
        session = catalog.create_session(workshop, api_user(), _date(body, "starts_on", True),
                                         _date(body, "ends_on", False))
    except WorkshopError as error:
        return _error(error)
    return jsonify(session_json(session)), 201


@bp.get("/bookings")
def api_bookings():
    user = api_user()
    _only(lambda u: u.is_staff or u.is_customer_admin)
    query = scope(select(Booking).order_by(Booking.id.desc()), Booking, user)
    return jsonify({"items": [booking_json(b) for b in db.session.scalars(query)]})


def _attendees(body: dict) -> list[services.AttendeeInput]:
    people = body.get("attendees")
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        raise WorkshopError(_("Give attendees as a list of {name, email}."), "attendees")
    return [services.AttendeeInput(str(p.get("name") or ""), str(p.get("email") or ""))
            for p in people]


@bp.post("/bookings")
def api_book():
    _only(lambda u: u.is_customer_admin)
    body = _body()
    try:
        session_id = body.get("session_id")
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise WorkshopError(_("Choose a session."), "session_id")
        booking = services.book(api_user(), session_id, _attendees(body))
    except WorkshopError as error:
        return _error(error)
    return jsonify(booking_json(booking)), 201


@bp.get("/bookings/<int:booking_id>")
def api_booking(booking_id: int):
    return jsonify(booking_json(_booking(booking_id)))


@bp.get("/bookings/<int:booking_id>/cancellation-quote")
def api_quote(booking_id: int):
    booking = _booking(booking_id)
    return jsonify(quote_json(services.quote(booking), booking.organization.timezone))


def _acknowledged(body: dict, booking: Booking) -> int | None:
    """`acknowledge_fee: true` accepts the fee that applies at this moment."""
    return services.quote(booking).fee if body.get("acknowledge_fee") is True else None


@bp.post("/bookings/<int:booking_id>/cancel")
def api_cancel(booking_id: int):
    booking = _booking(booking_id)
    _only(lambda u: u.is_customer_admin)
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        abort(400)
    try:
        services.cancel_booking(booking, api_user(), _acknowledged(body, booking),
                                str(body.get("reason") or ""))
    except WorkshopError as error:
        return _error(error)
    return jsonify(booking_json(booking))


@bp.post("/bookings/<int:booking_id>/reschedule")
def api_reschedule(booking_id: int):
    booking = _booking(booking_id)
    _only(lambda u: u.is_customer_admin)
    body = _body()
    session_id = body.get("session_id")
    try:
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise WorkshopError(_("Choose another session of the same workshop."), "session_id")
        new = services.reschedule(booking, api_user(), session_id, _acknowledged(body, booking),
                                  str(body.get("reason") or ""))
    except WorkshopError as error:
        return _error(error)
    return jsonify(booking_json(new)), 201
