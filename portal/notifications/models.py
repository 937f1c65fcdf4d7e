"""The e-mail outbox: mail is written in the request's transaction and sent after it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow


class OutboxMail(db.Model):
    __tablename__ = "outbox_mails"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # given up on: the mail cannot be built (an address SMTP cannot carry), the server refused
    # the recipient for good, or every attempt failed; last_error says why
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Message-ID, In-Reply-To, References, Reply-To, Auto-Submitted as JSON (services.thread_headers)
    headers: Mapped[str] = mapped_column(Text, default="{}")


class OutboxAttachment(db.Model):
    """A file sent with an outbox mail (a calendar invitation, for example)."""

    __tablename__ = "outbox_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("outbox_mails.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
