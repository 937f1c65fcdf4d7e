"""The workshop catalogue, its scheduled sessions, and organisations' bookings with attendees.

A session keeps its own seat counter (`seats_taken`) next to its `capacity`, so a booking can
claim seats with one conditional UPDATE that the database decides atomically (see
docs/decisions/workshops.md). A booking keeps a copy of the price and of the late-fee tiers it
was made under: later catalogue edits never change what a customer agreed to.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.accounts.models import Organization, User
from portal.db import UTCDateTime, db, utcnow
from portal.workshops.fees import DEDICATED, PER_ATTENDEE, FeeTier, validate_tiers

REMOTE = "remote"
ONSITE = "onsite"
DELIVERIES = (REMOTE, ONSITE)
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
BOOKED = "booked"
RESCHEDULED = "rescheduled"
PROVIDER_REASONS = ("below_minimum", "no_staff", "other")


def tiers_json(tiers) -> list[dict]:
    """Validated tiers as stored: a sorted list of {days_before, percent}; [] means the default."""
    return [{"days_before": t.days_before, "percent": t.percent} for t in validate_tiers(tiers)]


def normalise_tiers(value) -> list[dict]:
    """Tiers given as pairs, dicts or FeeTier objects, validated (ValueError) and stored sorted."""
    return tiers_json(tuple(_pair(item) for item in value or ()))


def tiers_from_json(value: list[dict] | None) -> tuple[FeeTier, ...]:
    return tuple(FeeTier(item["days_before"], item["percent"]) for item in value or ())


class Workshop(db.Model):
    """A workshop in the catalogue, titled and described in Japanese and English."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("days >= 1", name="days_positive"),
        CheckConstraint("price >= 0", name="price_nonnegative"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("min_attendees >= 0 AND min_attendees <= capacity", name="minimum_fits"),
        CheckConstraint("delivery IN ('remote','onsite')", name="delivery_known"),
        CheckConstraint("pricing IN ('per_attendee','dedicated')", name="pricing_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_ja: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    days: Mapped[int] = mapped_column(default=1)
    delivery: Mapped[str] = mapped_column(String(16), default=REMOTE)
    pricing: Mapped[str] = mapped_column(String(16), default=PER_ATTENDEE)
    price: Mapped[int]
    capacity: Mapped[int]
    min_attendees: Mapped[int] = mapped_column(default=0)
    late_fee_tiers: Mapped[list] = mapped_column(JSON, default=list)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="workshop", order_by="WorkshopSession.starts_on"
    )

    @validates("late_fee_tiers")
    def _check_tiers(self, _key, value):
        """Every path that stores tiers goes through validate_tiers (ValueError above 100%)."""
        return normalise_tiers(value)

    @property
    def tiers(self) -> tuple[FeeTier, ...]:
        return tiers_from_json(self.late_fee_tiers)

    @property
    def dedicated(self) -> bool:
        return self.pricing == DEDICATED

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_ja

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" and self.description_en else self.description_ja


def _pair(item) -> tuple:
    if isinstance(item, dict):
        # a dict must carry both keys; a missing one becomes None, which FeeTier refuses
        return item.get("days_before"), item.get("percent")
    if isinstance(item, FeeTier):
        return item.days_before, item.percent
    return tuple(item)


class WorkshopSession(db.Model):
    """A scheduled run of a workshop on given days, with its own capacity and seat counter."""

    __tablename__ = "workshop_sessions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("status IN ('scheduled','cancelled')", name="status_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(32))
    cancel_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    workshop: Mapped[Workshop] = relationship(back_populates="sessions")
    bookings: Mapped[list[Booking]] = relationship(back_populates="session", order_by="Booking.id")

    @property
    def seats_left(self) -> int:
        return 0 if self.status != SCHEDULED else max(0, self.capacity - self.seats_taken)

    @property
    def scheduled(self) -> bool:
        return self.status == SCHEDULED


class Booking(db.Model):
    """An organisation's booking of a session, with the facts of its cancellation if any."""

    __tablename__ = "workshop_bookings"
    __table_args__ = (
        CheckConstraint("status IN ('booked','cancelled','rescheduled')", name="status_known"),
        CheckConstraint("price >= 0", name="price_nonnegative"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("fee_charged >= 0 AND fee_charged <= price", name="fee_within_price"),
        CheckConstraint("fee_percent >= 0 AND fee_percent <= 100", name="percent_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    price: Mapped[int]
    seats: Mapped[int]
    fee_tiers: Mapped[list] = mapped_column(JSON, default=list)
    contract_warning: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=BOOKED, index=True)
    fee_charged: Mapped[int] = mapped_column(default=0)
    fee_percent: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_by_provider: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    rescheduled_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_bookings.id"), unique=True
    )
    organization: Mapped[Organization] = relationship()
    session: Mapped[WorkshopSession] = relationship(back_populates="bookings")
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="booking", order_by="Attendee.position", cascade="all, delete-orphan"
    )
    rescheduled_from: Mapped[Booking | None] = relationship(
        remote_side=[id], back_populates="rescheduled_to"
    )
    rescheduled_to: Mapped[Booking | None] = relationship(back_populates="rescheduled_from")

    @property
    def tiers(self) -> tuple[FeeTier, ...]:
        return tiers_from_json(self.fee_tiers)

    @property
    def active(self) -> bool:
        return self.status == BOOKED


class Attendee(db.Model):
    """A person who will attend, named by the customer administrator when booking."""

    __tablename__ = "workshop_attendees"
    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("workshop_bookings.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    booking: Mapped[Booking] = relationship(back_populates="attendees")


__all__ = ["Workshop", "WorkshopSession", "Booking", "Attendee", "PER_ATTENDEE", "DEDICATED"]
