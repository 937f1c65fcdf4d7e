"""Organisations, contracts, people, API tokens, sign-in sessions, closure days and the audit
trail."""
from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, db, utcnow


class Role(StrEnum):
    CUSTOMER_ADMIN = "customer_admin"
    CONTACT = "contact"
    STAFF = "staff"
    STAFF_ADMIN = "staff_admin"


CUSTOMER_ROLES = (Role.CUSTOMER_ADMIN, Role.CONTACT)
STAFF_ROLES = (Role.STAFF, Role.STAFF_ADMIN)


class Organization(db.Model):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the customer administrator's choice: everyone of the organisation uses a second factor
    require_second_factor: Mapped[bool] = mapped_column(default=False, server_default=false())
    contracts: Mapped[list[Contract]] = relationship(
        back_populates="organization", order_by="Contract.term_start.desc()"
    )


class Contract(db.Model):
    """A contract term: allowance, overage price, opening hours, 24/365, package items."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("included_requests >= 0", name="included_nonnegative"),
        CheckConstraint("overage_unit_price >= 0", name="price_nonnegative"),
        CheckConstraint("term_end >= term_start", name="term_ordered"),
        CheckConstraint("opens < closes", name="hours_ordered"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    term_start: Mapped[date]
    term_end: Mapped[date]
    included_requests: Mapped[int] = mapped_column(default=5)
    overage_unit_price: Mapped[int] = mapped_column(default=20000)
    opens: Mapped[time] = mapped_column(default=time(9, 0))
    closes: Mapped[time] = mapped_column(default=time(17, 0))
    always_open: Mapped[bool] = mapped_column(default=False)
    package_items: Mapped[dict] = mapped_column(JSON, default=dict)
    organization: Mapped[Organization] = relationship(back_populates="contracts")

    def covers(self, day: date) -> bool:
        return self.term_start <= day <= self.term_end


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('customer_admin','contact','staff','staff_admin')", name="role_known"
        ),
        CheckConstraint(
            "(role IN ('staff','staff_admin')) = (organization_id IS NULL)", name="role_matches_org"
        ),
        CheckConstraint("locale IN ('ja','en')", name="locale_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the mails a person may switch off on the profile (portal/notifications/preferences.py
    # decides which mail is which); on by default: everyone gets what they got before
    mail_colleagues: Mapped[bool] = mapped_column(default=True, server_default=true())
    mail_status: Mapped[bool] = mapped_column(default=True, server_default=true())
    mail_maintenance: Mapped[bool] = mapped_column(default=True, server_default=true())
    organization: Mapped[Organization | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated people cannot sign in
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_staff_admin(self) -> bool:
        return self.role == Role.STAFF_ADMIN

    @property
    def is_customer_admin(self) -> bool:
        return self.role == Role.CUSTOMER_ADMIN


class ApiToken(db.Model):
    """A named bearer token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_ip: Mapped[str | None] = mapped_column(String(45))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in browser session. The session cookie carries a random key; only its SHA-256
    is kept here, so the table cannot be turned back into cookies. Deleting the row ends the
    session: the cookie then opens nothing (portal/accounts/sessions.py)."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")


class SecondFactor(db.Model):
    """A person's second factor: an authenticator app (TOTP, RFC 6238) or a passkey (WebAuthn).

    TOTP keeps its base32 secret and the last time step accepted (a code is never taken twice);
    a passkey keeps its credential id, public key (COSE) and signature counter."""

    __tablename__ = "second_factors"
    __table_args__ = (CheckConstraint("kind IN ('totp','passkey')", name="factor_kind_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100), default="")
    secret: Mapped[str | None] = mapped_column(String(64))
    last_step: Mapped[int | None]
    credential_id: Mapped[str | None] = mapped_column(String(400), unique=True)
    public_key: Mapped[str | None] = mapped_column(String(1000))
    sign_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """One single-use recovery code; only its SHA-256 (with the person's id) is kept."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SsoSettings(db.Model):
    """An organisation's single sign-on through its own OpenID provider (Entra ID, ...)."""

    __tablename__ = "sso_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    issuer: Mapped[str] = mapped_column(String(300), default="")
    client_id: Mapped[str] = mapped_column(String(200), default="")
    client_secret: Mapped[str] = mapped_column(String(300), default="")
    allowed_domains: Mapped[str] = mapped_column(String(1000), default="")
    # the organisation's people sign in only through their directory (no password)
    sso_only: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    organization: Mapped[Organization] = relationship()

    @property
    def domains(self) -> list[str]:
        return [part.strip().lower() for part in self.allowed_domains.replace(",", " ").split()
                if part.strip()]


class ClosureDay(db.Model):
    """A provider closure day (会社休業日): no business hours on it."""

    __tablename__ = "closure_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class AuditEvent(db.Model):
    """Who did what to what, and when."""

    __tablename__ = "audit_events"
    # a request's trail on the work view: events of one target
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[User | None] = relationship()
