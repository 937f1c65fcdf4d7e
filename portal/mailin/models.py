"""Every mail the intake took in, once (by Message-ID), with what became of it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import UTCDateTime, db

STATUSES = ("filed", "added", "held", "ignored", "awaiting_fee", "discarded")


class InboundMail(db.Model):
    """One received message: the raw bytes stay in the instance folder (`raw_path`, in the backup);
    the row says whether it filed a request, was added to one, or waits for staff and why."""

    __tablename__ = "inbound_mails"
    __table_args__ = (
        CheckConstraint("status IN ('filed','added','held','ignored','awaiting_fee','discarded')",
                        name="inbound_status_known"),
        Index("ix_inbound_mails_sender_taken", "sender", "taken_at"),
        Index("ix_inbound_mails_status_taken", "status", "taken_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(1000), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # by the provider's mail server
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)  # by the portal
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(40), default="")  # a code, shown in words
    detail: Mapped[str] = mapped_column(String(500), default="")
    raw_path: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer, default=0)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the polite reply, if any


class BlockedSender(db.Model):
    """An address staff blocked from the review page: its mail is recorded and ignored, never
    filed, held or answered (reason `blocked_sender`)."""

    __tablename__ = "mail_blocked_senders"
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)  # canonical_address()
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    blocked_by: Mapped[User | None] = relationship(lazy="joined")
