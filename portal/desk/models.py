"""The support desk's own records: maintenance notices and canned replies (written by the back office)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow


class MaintenanceNotice(db.Model):
    """A maintenance window (terms [7]4): a banner before and during it, and an e-mail."""

    __tablename__ = "maintenance_notices"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="window_ordered"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_ja: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def body(self, lang: str) -> str:
        return self.body_ja if lang == "ja" else self.body_en


class CannedReply(db.Model):
    """A reply staff reuse, in both languages; the work view picks the customer's."""

    __tablename__ = "canned_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body_ja: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
