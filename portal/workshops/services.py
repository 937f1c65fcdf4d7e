"""Customer services: browse sessions, book, quote, cancel, reschedule; fees charged per month.

Seats are claimed with one conditional UPDATE on the session's counter
(`seats_taken + n <= capacity`): the database decides, so two bookings for the last seat at the
same instant cannot both succeed, on SQLite (one writer at a time) and on PostgreSQL (the second
UPDATE waits for the first's row lock and re-checks the condition). A cancellation is likewise a
conditional UPDATE on the booking's status, so a booking is never cancelled (or its seats
released) twice. Services only flush; the request commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from portal.accounts.models import Organization, User
from portal.accounts.services import current_contract, record
from portal.core import clock
from portal.core.addresses import AddressRefused, checked_address
from portal.core.i18n import _l
from portal.core.text import one_line
from portal.db import db, get
from portal.workshops import mail
from portal.workshops.billing import FeeCharge, fees_charged, fees_total
from portal.workshops.fees import (
    BookingCheck,
    CancellationQuote,
    booking_price,
    booking_within_contract,
    cancellation_quote,
    local_date,
)
from portal.workshops.interfaces import (
    FeeConfirmationRequired,
    NotChangeable,
    OutsideContract,
    SessionFull,
    SessionUnavailable,
    WorkshopError,
)
from portal.workshops.models import (
    BOOKED,
    CANCELLED,
    RESCHEDULED,
    SCHEDULED,
    Attendee,
    Booking,
    WorkshopSession,
    tiers_json,
)

__all__ = ["FeeCharge", "fees_charged", "fees_total", "book", "quote",
           "cancel_booking", "reschedule", "upcoming_sessions", "contract_check"]
MAX_ATTENDEES = 100


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    email: str


def org_today(org: Organization, at: datetime | None = None) -> date:
    """Today in the organisation's calendar (JST by default), never UTC's."""
    return local_date(at or clock.now(), org.timezone)


def upcoming_sessions(today: date, workshop_id: int | None = None) -> list[WorkshopSession]:
    """Sessions from today on, scheduled or cancelled, earliest first."""
    query = select(WorkshopSession).where(WorkshopSession.ends_on >= today)
    if workshop_id is not None:
        query = query.where(WorkshopSession.workshop_id == workshop_id)
    return list(db.session.scalars(query.order_by(WorkshopSession.starts_on, WorkshopSession.id)))


def contract_check(org: Organization, session: WorkshopSession,
                   at: datetime | None = None) -> BookingCheck:
    """May `org` book `session` under its contract, and does it carry the 60-day warning?"""
    today = org_today(org, at)
    contract = current_contract(org, today)
    if contract is None:
        return BookingCheck(False, False, "no contract")
    return booking_within_contract(session.starts_on, session.ends_on, contract.term_start,
                                   contract.term_end, today)


def clean_attendees(attendees: list[AttendeeInput]) -> list[AttendeeInput]:
    """Names and valid e-mail addresses, each address once; at least one attendee. The number
    of filled rows is checked before any address is: checking 150,000 of them took seconds."""
    if sum(1 for person in attendees if _filled(person)) > MAX_ATTENDEES:
        raise WorkshopError(_l("Too many attendees for one booking."), "attendees")
    cleaned, seen = [], set()
    for index, person in enumerate(attendees):
        name, email = one_line(person.name)[:200], (person.email or "").strip()
        if not name and not email:
            continue
        field = f"attendees-{index}"
        if not name:
            raise WorkshopError(_l("Enter the attendee's name."), f"{field}-name")
        try:
            email = checked_address(email)
        except AddressRefused as refused:
            raise WorkshopError(refused.message, f"{field}-email") from None
        if email in seen:
            raise WorkshopError(_l("Each attendee is listed once."), f"{field}-email")
        seen.add(email)
        cleaned.append(AttendeeInput(name, email))
    if not cleaned:
        raise WorkshopError(_l("Name at least one attendee."), "attendees")
    return cleaned


def _filled(person: AttendeeInput) -> bool:
    return bool((person.name or "").strip() or (person.email or "").strip())


def _bookable(session: WorkshopSession | None, org: Organization) -> WorkshopSession:
    if session is None:
        raise WorkshopError(_l("Choose a session."), "session_id")
    if session.status != SCHEDULED or session.starts_on <= org_today(org):
        raise SessionUnavailable(_l("This session can no longer be booked."), "session_id")
    return session


def _claim_seats(session: WorkshopSession, seats: int) -> None:
    """Take `seats` seats in one conditional UPDATE, or raise SessionFull."""
    claimed = db.session.execute(
        update(WorkshopSession)
        .where(WorkshopSession.id == session.id, WorkshopSession.status == SCHEDULED)
        .where(WorkshopSession.seats_taken + seats <= WorkshopSession.capacity)
        .values(seats_taken=WorkshopSession.seats_taken + seats)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(session, ["seats_taken", "status"])
    if claimed != 1:
        if session.status != SCHEDULED:
            raise SessionUnavailable(_l("This session can no longer be booked."), "session_id")
        raise SessionFull(_l("Not enough seats are left in this session."), "attendees")


def _release_seats(session_id: int, seats: int) -> None:
    db.session.execute(
        update(WorkshopSession)
        .where(WorkshopSession.id == session_id, WorkshopSession.status == SCHEDULED)
        .values(seats_taken=WorkshopSession.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )


def _new_booking(actor: User, session: WorkshopSession, people: list[AttendeeInput],
                 rescheduled_from: Booking | None = None) -> tuple[Booking, BookingCheck]:
    org = actor.organization
    _bookable(session, org)
    check = contract_check(org, session)
    if not check.allowed:
        raise OutsideContract(_l("This session falls outside your contract term, so it cannot "
                                 "be booked."), "session_id")
    workshop = session.workshop
    seats = session.capacity if workshop.dedicated else len(people)
    if len(people) > session.capacity:
        raise SessionFull(_l("Not enough seats are left in this session."), "attendees")
    _claim_seats(session, seats)
    booking = Booking(
        organization_id=org.id, session=session, booked_by=actor, created_at=clock.now(),
        price=booking_price(workshop.pricing, workshop.price, len(people)), seats=seats,
        fee_tiers=tiers_json(workshop.tiers), contract_warning=check.warning, status=BOOKED,
        fee_charged=0, fee_percent=0, cancelled_by_provider=False, reason="",
        rescheduled_from=rescheduled_from,
        attendees=[Attendee(position=i, name=p.name, email=p.email) for i, p in enumerate(people)],
    )
    db.session.add(booking)
    db.session.flush()
    return booking, check


def book(actor: User, session_id: int, attendees: list[AttendeeInput]) -> Booking:
    """The customer administrator books a session for named attendees; everyone is mailed."""
    people = clean_attendees(attendees)
    session = get(WorkshopSession, session_id)
    booking, check = _new_booking(actor, _bookable(session, actor.organization), people)
    record(actor, "booking.created", booking, booking.organization_id, session_id=session_id,
           attendees=len(people), price=booking.price, contract_warning=check.warning)
    mail.booking_confirmed(booking, check.warning)
    return booking


def late_booking_quote(session: WorkshopSession, org: Organization,
                       at: datetime | None = None) -> CancellationQuote | None:
    """What cancelling would cost the moment a booking of `session` is made now, when that is
    already a fee (booked inside the fee period: after the free deadline, issue 18); else None.
    The price quoted is the workshop's own (per attendee, or the flat price of a dedicated
    session), as the number of attendees is not known yet."""
    workshop = session.workshop
    charged = cancellation_quote(session.starts_on, workshop.price, at or clock.now(),
                                 workshop.tiers, org.timezone)
    return charged if charged.allowed and charged.percent > 0 else None


def quote(booking: Booking, at: datetime | None = None) -> CancellationQuote:
    """What cancelling or rescheduling `booking` costs at `at` (now by default)."""
    return cancellation_quote(booking.session.starts_on, booking.price, at or clock.now(),
                              booking.tiers, booking.organization.timezone)


def _confirmed_quote(booking: Booking, acknowledged_fee: int | None) -> CancellationQuote:
    """The quote as of now; a fee must have been acknowledged at least at its amount."""
    if booking.status != BOOKED:
        raise NotChangeable(_l("This booking is already cancelled."))
    current = quote(booking)
    if not current.allowed:
        raise NotChangeable(_l("The session has started: the booking can no longer be "
                               "cancelled or rescheduled."))
    if current.fee > 0 and (acknowledged_fee is None or acknowledged_fee < current.fee):
        raise FeeConfirmationRequired(_l("A cancellation fee applies. Please confirm the fee."),
                                      current)
    return current


def _close(booking: Booking, actor: User, status: str, charged: CancellationQuote,
           reason: str) -> None:
    """Record the cancellation facts in one conditional UPDATE; a second attempt finds nothing."""
    closed = db.session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == BOOKED)
        .values(status=status, cancelled_at=clock.now(), cancelled_by_id=actor.id,
                cancelled_by_provider=False, fee_charged=charged.fee, fee_percent=charged.percent,
                reason=(reason or "").strip()[:2000])
        .execution_options(synchronize_session=False)
    ).rowcount
    if closed != 1:
        raise NotChangeable(_l("This booking is already cancelled."))
    db.session.expire(booking)
    _release_seats(booking.session_id, booking.seats)


def cancel_booking(booking: Booking, actor: User, acknowledged_fee: int | None = None,
                   reason: str = "") -> Booking:
    """Cancel, charging the quoted fee; raises FeeConfirmationRequired until it is confirmed."""
    charged = _confirmed_quote(booking, acknowledged_fee)
    _close(booking, actor, CANCELLED, charged, reason)
    record(actor, "booking.cancelled", booking, booking.organization_id, fee=charged.fee,
           percent=charged.percent, reason=charged.reason)
    mail.booking_cancelled(booking)
    return booking


def reschedule(booking: Booking, actor: User, new_session_id: int,
               acknowledged_fee: int | None = None, reason: str = "") -> Booking:
    """Move a booking to another session of the same workshop: the old one is closed with the
    same fee as a cancellation, and the new one is booked anew for the same attendees."""
    charged = _confirmed_quote(booking, acknowledged_fee)
    target = get(WorkshopSession, new_session_id)
    if target is None or target.workshop_id != booking.session.workshop_id \
            or target.id == booking.session_id:
        raise WorkshopError(_l("Choose another session of the same workshop."), "session_id")
    people = [AttendeeInput(a.name, a.email) for a in booking.attendees]
    _close(booking, actor, RESCHEDULED, charged, reason)
    new, check = _new_booking(actor, target, people, rescheduled_from=booking)
    record(actor, "booking.rescheduled", booking, booking.organization_id, fee=charged.fee,
           percent=charged.percent, new_booking_id=new.id, reason=charged.reason)
    mail.booking_cancelled(booking)
    mail.booking_confirmed(new, check.warning)
    return new


def organisation_bookings(org_id: int) -> list[Booking]:
    return list(db.session.scalars(
        select(Booking).where(Booking.organization_id == org_id).order_by(Booking.id.desc())
    ))


def other_sessions(booking: Booking, today: date) -> list[WorkshopSession]:
    """Where a booking may move: scheduled, not started, same workshop, enough seats."""
    dedicated = booking.session.workshop.dedicated
    return [s for s in upcoming_sessions(today, booking.session.workshop_id)
            if s.id != booking.session_id and s.scheduled and s.starts_on > today
            and s.seats_left >= (s.capacity if dedicated else len(booking.attendees))]
