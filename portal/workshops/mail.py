"""Mail about bookings, each in its recipient's language, with an .ics calendar file.

Who is told: the administrator who booked and every attendee named on the booking. An attendee
who has a portal account gets the mail in that account's language; one without an account gets
it in the booker's language (the attendee list has no language of its own).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core import clock
from portal.core.i18n import _
from portal.db import db
from portal.notifications.services import Attachment, send_template
from portal.seed_texts import RECORDING_NOTICE
from portal.workshops.fees import cancellation_deadline, cancellation_quote
from portal.workshops.ics import CalendarEvent, calendar
from portal.workshops.models import Booking


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str


def recipients(booking: Booking) -> list[Recipient]:
    """The booker first, then the attendees; each address once."""
    booker = booking.booked_by
    fallback = booker.locale if booker else "ja"
    people = [Recipient(booker.email, booker.name, booker.locale)] if booker and booker.active else []
    emails = [a.email.lower() for a in booking.attendees]
    accounts = {u.email.lower(): u for u in db.session.scalars(
        select(User).where(func.lower(User.email).in_(emails)))} if emails else {}
    for attendee in booking.attendees:
        account = accounts.get(attendee.email.lower())
        people.append(Recipient(attendee.email, attendee.name,
                                account.locale if account else fallback))
    seen: set[str] = set()
    return [p for p in people if not (p.email.lower() in seen or seen.add(p.email.lower()))]


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "madoguchi"


def calendar_file(booking: Booking, locale: str, cancelled: bool = False) -> Attachment:
    """The booking as an all-day calendar event, written in `locale`."""
    session = booking.session
    workshop = session.workshop
    with force_locale(locale):
        description = "\n".join([
            workshop.description(locale),
            _("Attendees: %(names)s", names=", ".join(a.name for a in booking.attendees)),
            _("Booking number: %(id)s", id=booking.id),
        ]).strip()
    event = CalendarEvent(
        uid=f"workshop-booking-{booking.id}@{_host()}",
        summary=workshop.title(locale), description=description,
        starts_on=session.starts_on, ends_on=session.ends_on, stamp=clock.now(),
        cancelled=cancelled,
    )
    return Attachment(f"workshop-{booking.id}.ics", "text/calendar", calendar(event))


def _tell_everyone(booking: Booking, template: str, cancelled: bool, **context) -> None:
    session = booking.session
    deadline = cancellation_deadline(session.starts_on, booking.organization.timezone,
                                     tiers=booking.tiers)
    booker = booking.booked_by.email.lower() if booking.booked_by else None
    for person in recipients(booking):
        send_template(person, template, attachments=[calendar_file(booking, person.locale, cancelled)],
                      booking=booking, session=session, workshop=session.workshop,
                      organization=booking.organization, deadline=deadline,
                      recording_notice=RECORDING_NOTICE, is_booker=person.email.lower() == booker,
                      **context)


def booking_confirmed(booking: Booking, contract_warning: bool = False) -> None:
    """`late`: booked inside the fee period, what cancelling costs from the start (issue 18)."""
    charged = cancellation_quote(booking.session.starts_on, booking.price, booking.created_at,
                                 booking.tiers, booking.organization.timezone)
    _tell_everyone(booking, "workshop_booked", False, contract_warning=contract_warning,
                   late=charged if charged.allowed and charged.percent > 0 else None)


def booking_cancelled(booking: Booking) -> None:
    _tell_everyone(booking, "workshop_booking_cancelled", True)


def session_cancelled(booking: Booking) -> None:
    _tell_everyone(booking, "workshop_session_cancelled", True)
