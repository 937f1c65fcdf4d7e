"""The job runner's records: one row per periodic job (its claim and lease), the marks that make
an effect happen once, and the runners seen (for /readyz and the back office)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow


class JobRun(db.Model):
    """A periodic job: when it is next due, who holds it (until when), and how it last went.

    A runner takes it with one conditional UPDATE (due, and not leased or the lease lapsed);
    the database lets exactly one runner see rowcount 1."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_by: Mapped[str] = mapped_column(String(200), default="")
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(default=0)  # in a row; 0 after a success
    last_error: Mapped[str] = mapped_column(Text, default="")


class JobMark(db.Model):
    """"This job did this to this subject at this stage": inserted in the same transaction as
    the effect (the mail in the outbox, the status change), so the effect cannot happen twice."""

    __tablename__ = "job_marks"
    __table_args__ = (UniqueConstraint("job", "subject", "stage", name="job_subject_stage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobRunner(db.Model):
    """A runner process (host:pid) and when it last went through the jobs."""

    __tablename__ = "job_runners"
    runner: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class JobSetting(db.Model):
    """A number the provider administrators set for the jobs (the business days of the reminder
    and of the auto-close); absent: the configured default."""

    __tablename__ = "job_settings"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
