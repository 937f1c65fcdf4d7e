"""Requests (Q&A and incidents), their thread, and their attachments."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from portal.accounts.models import Organization, User
from portal.core import clock
from portal.db import UTCDateTime, db, utcnow


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting_for_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)
SOURCES = ("portal", "api", "email", "provider")
BACKUP_SERVICES = ("restore", "schedule_change")


class Ticket(db.Model):
    """A request the provider received: its clock, its place in the month's allowance."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("organization_id", "sequence", name="org_sequence"),
        # at most one of each backup service per organisation and month (terms [7]5)
        UniqueConstraint("organization_id", "month", "backup_service", name="backup_once"),
        CheckConstraint("kind IN ('question','incident')", name="kind_known"),
        CheckConstraint(
            "(kind = 'incident' AND severity IN ('1','A','B','C')) OR "
            "(kind = 'question' AND severity IS NULL)", name="severity_matches_kind"),
        CheckConstraint(
            "status IN ('new','in_progress','waiting_for_customer','resolved','closed')",
            name="status_known"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        # the staff queue: open requests, unanswered first, by deadline (covering, no table reads)
        Index("ix_tickets_queue", "status", "first_response_at", "response_due_at"),
        # the queue over every status, in its own order (queries.SORTS["queue"]): a walk of the
        # first page instead of a sort of every request (migration 0021)
        Index("ix_tickets_queue_order", text("(first_response_at IS NOT NULL)"), "response_due_at",
              text("id DESC")),
        Index("ix_tickets_received_at", "received_at"),  # staff's list of every request
        Index("ix_tickets_month", "month"),  # dashboard figures and billing export of a month
        Index("ix_tickets_org_month", "organization_id", "month"),
        Index("ix_tickets_org_received", "organization_id", "received_at"),
        # "has anything on this organisation's list changed?": max(revision), one index probe
        Index("ix_tickets_org_revision", "organization_id", "revision"),
        # the new-request form's one-time key: the same submission files once (Back, double click)
        Index("ix_tickets_filing_key", "requester_id", "filing_key", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(40), unique=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    severity: Mapped[str | None] = mapped_column(String(1))
    azure_component: Mapped[bool] = mapped_column(default=False)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    product: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(24), default=Status.NEW)
    source: Mapped[str] = mapped_column(String(10), default="portal")
    backup_service: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_met: Mapped[bool | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # when the status last changed (set by the listener below, whoever changes it): the
    # reminder and the auto-close count business days from it
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the escalation reached so far without a first reply: None, "at_risk" or "overdue"
    # (written by the escalation job, shown by the staff queue; reset when the deadline is re-set)
    escalation: Mapped[str | None] = mapped_column(String(10))
    month: Mapped[str] = mapped_column(String(7))
    counted: Mapped[bool] = mapped_column(default=True)
    rank: Mapped[int | None]
    overage: Mapped[bool] = mapped_column(default=False)
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    out_of_scope: Mapped[str | None] = mapped_column(String(64))
    out_of_scope_reason: Mapped[str] = mapped_column(Text, default="")
    rca_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rca_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a reply to a closed request files a new one: "follow-up of ACME-42"
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    filing_key: Mapped[str | None] = mapped_column(String(64))
    # Set by the database on every insert and update, whoever writes (ORM, bulk UPDATE, SQL):
    # triggers of migration 0007. The application never writes it; read as
    # Organization.requests_revision below.
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    organization: Mapped[Organization] = relationship()
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    follow_up_of: Mapped[Ticket | None] = relationship(remote_side=[id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@event.listens_for(Ticket.status, "set")
def _status_changed(ticket: Ticket, value, oldvalue, _initiator) -> None:
    if value != oldvalue:
        ticket.status_changed_at = clock.now()


class Message(db.Model):
    """One entry of a request's thread: a public reply, or a staff-only internal note."""

    __tablename__ = "ticket_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[User | None] = relationship()


class Watcher(db.Model):
    """A colleague of the requester's organisation copied on a request's mails (CC)."""

    __tablename__ = "ticket_watchers"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Attachment(db.Model):
    """A file attached to a request (logs); stored under a random name, always downloaded."""

    __tablename__ = "ticket_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_messages.id"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UsageCounter(db.Model):
    """How many counted requests an organisation has in a month: the row that serialises ranking."""

    __tablename__ = "usage_counters"
    __table_args__ = (CheckConstraint("counted >= 0", name="counted_nonnegative"),)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    counted: Mapped[int] = mapped_column(default=0)


class TicketCounter(db.Model):
    """The next request number per organisation (what a customer quotes on the phone)."""

    __tablename__ = "ticket_counters"
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


# The highest revision of an organisation's requests: it moves whenever any of them is filed or
# changed, so the request list keeps its rendered rows under it (tickets/views.py:index). One probe
# of ix_tickets_org_revision; loaded with the signed-in user (web.load_user), so the list needs no
# query of its own for it.
Organization.requests_revision = column_property(
    select(func.coalesce(func.max(Ticket.revision), 0))
    .where(Ticket.organization_id == Organization.id).correlate_except(Ticket).scalar_subquery(),
    deferred=True)


class SatisfactionSurvey(db.Model):
    """The satisfaction survey of one resolved request (rules.md "Satisfaction survey"): asked
    once (one row per request, inserted when it is first resolved), rated 1–5 with an optional
    comment by its requester, changeable for 14 days from `asked_at`.

    `month` is the month of `asked_at` in the organisation's zone (the figures' month);
    `staff_id` is whoever was assigned when it was asked (the figures per staff member)."""

    __tablename__ = "satisfaction_surveys"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        Index("ix_satisfaction_month", "month", "organization_id"),
    )
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    month: Mapped[str] = mapped_column(String(7))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rating: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket: Mapped[Ticket] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
