"""Outbriefs (one per engagement), their findings, and the record of every PDF download."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organization, User
from portal.db import UTCDateTime, db, utcnow
from portal.documents import rules


class Outbrief(db.Model):
    """An engagement (kind and period) and the outbrief the provider owes for it."""

    __tablename__ = "outbriefs"
    __table_args__ = (
        CheckConstraint("status IN ('draft','delivered','accepted','declined')",
                        name="status_known"),
        CheckConstraint(
            "kind IN ('incident_response','assessment','security_exercise','other')",
            name="kind_known"),
        CheckConstraint("engagement_end >= engagement_start", name="period_ordered"),
        CheckConstraint("status = 'draft' OR delivered_at IS NOT NULL", name="delivered_noted"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    engagement_start: Mapped[date]
    engagement_end: Mapped[date]
    summary: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[list] = mapped_column(JSON, default=list)
    # the English version (issue 18); empty: the outbrief is written in Japanese only, and its
    # English PDF says so (docs/decisions/pages.md)
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    recommendations_en: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    status: Mapped[str] = mapped_column(String(16), default=rules.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organization: Mapped[Organization] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="outbrief", order_by="Finding.position", cascade="all, delete-orphan")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    delivered_by: Mapped[User | None] = relationship(foreign_keys=[delivered_by_id])

    @property
    def due_on(self) -> date:
        return rules.due_on(self.engagement_end)

    @property
    def bilingual(self) -> bool:
        """Whether the outbrief is written in English too (its English title is the sign)."""
        return bool(self.title_en)

    @property
    def document_id(self) -> str:
        """The stable id of this outbrief among the organisation's documents."""
        return f"outbrief-{self.id}"


class Finding(db.Model):
    """One finding of an outbrief, with its risk (the outbrief's risk assessment)."""

    __tablename__ = "outbrief_findings"
    __table_args__ = (CheckConstraint("risk IN ('high','medium','low')", name="risk_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outbrief_id: Mapped[int] = mapped_column(ForeignKey("outbriefs.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    risk: Mapped[str] = mapped_column(String(8))
    detail: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    detail_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    outbrief: Mapped[Outbrief] = relationship(back_populates="findings")


class DocumentDownload(db.Model):
    """Who downloaded which document of which organisation, when, and in which language."""

    __tablename__ = "document_downloads"
    __table_args__ = (
        CheckConstraint("language IN ('ja','en')", name="language_known"),
        CheckConstraint("document_kind IN ('outbrief','service_plan')", name="kind_known"),
        CheckConstraint("(document_kind = 'outbrief') = (outbrief_id IS NOT NULL)",
                        name="outbrief_matches_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    document_kind: Mapped[str] = mapped_column(String(16))
    outbrief_id: Mapped[int | None] = mapped_column(ForeignKey("outbriefs.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    user: Mapped[User] = relationship()
    outbrief: Mapped[Outbrief | None] = relationship()
