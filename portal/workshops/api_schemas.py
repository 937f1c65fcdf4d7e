"""The bodies and answers of the workshop endpoints (/api/v1/workshops, /bookings); the
OpenAPI description is made from them and every request is checked against them."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from portal.web.api_schemas import (
    Answer,
    Body,
    BodyId,
    Day,
    DayText,
    Id,
    Instant,
    Money,
    NullableInstant,
    OrganizationRef,
    Text,
)
from portal.workshops.catalog import MAX_CAPACITY, MAX_DAYS, MAX_PRICE
from portal.workshops.fees import MAX_DAYS_BEFORE

Pricing = Literal["per_attendee", "dedicated"]
Delivery = Literal["remote", "onsite"]


class Tier(Body):
    days_before: int = Field(ge=0, le=MAX_DAYS_BEFORE)
    percent: int = Field(ge=0, le=100)


class NewWorkshop(Body):
    title_ja: Text(200)
    title_en: Text(200)
    description_ja: Text(20_000) = ""
    description_en: Text(20_000) = ""
    days: int = Field(ge=1, le=MAX_DAYS)
    delivery: Delivery = "remote"
    pricing: Pricing
    price: int = Field(ge=0, le=MAX_PRICE, description="yen: per attendee, or the session's")
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    min_attendees: int = Field(ge=0, le=MAX_CAPACITY, description="at most the capacity")
    late_fee_tiers: list[Tier] = Field(
        default_factory=list, max_length=MAX_DAYS_BEFORE + 1,
        description="none: 100% after the deadline (14 days before the first day)")


class NewSession(Body):
    starts_on: Day
    ends_on: Day | None = Field(None, description="by default the workshop's length")


class Attendee(Body):
    name: Text(200)
    email: Text(254)


class NewBooking(Body):
    session_id: BodyId
    attendees: list[Attendee]


class Cancellation(Body):
    acknowledge_fee: bool = Field(
        False, description="accept the fee that applies now; without it a fee is a 409")
    reason: Text(2_000) = ""


class Reschedule(Cancellation):
    session_id: BodyId


class WorkshopRef(Answer):
    id: Id
    title: str


class TierAnswer(Answer):
    days_before: int
    percent: int


class WorkshopSession(Answer):
    id: Id
    workshop: WorkshopRef
    starts_on: DayText
    ends_on: DayText
    seats_left: int = Field(ge=0)
    capacity: int
    price: Money
    pricing: Pricing
    delivery: Delivery
    status: Literal["scheduled", "cancelled"]


class WorkshopSessionList(Answer):
    items: list[WorkshopSession]


class Workshop(Answer):
    id: Id
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    days: int
    delivery: Delivery
    pricing: Pricing
    price: Money
    capacity: int
    min_attendees: int
    late_fee_tiers: list[TierAnswer]
    archived: bool


class WorkshopList(Answer):
    items: list[Workshop]


class AttendeeAnswer(Answer):
    name: str
    email: str


class Booking(Answer):
    id: Id
    session_id: Id
    organization: OrganizationRef
    workshop: WorkshopRef
    starts_on: DayText
    ends_on: DayText
    status: Literal["booked", "cancelled", "rescheduled"]
    price: Money
    attendees: list[AttendeeAnswer]
    cancellation_deadline: Instant
    created_at: Instant
    fee_charged: Money
    fee_percent: int
    cancelled_at: NullableInstant
    cancelled_by_provider: bool
    contract_warning: bool
    rescheduled_from: Id | None
    rescheduled_to: Id | None


class BookingList(Answer):
    items: list[Booking]


class CancellationQuote(Answer):
    deadline: Instant
    free: bool
    fee: Money
    percent: int
    allowed: bool
    days_before: int
    at: Instant
    reason: str
