"""Demo workshops: two catalogue entries, sessions in the coming months, one booking for acme.

Called from portal.demo after the organisations and people exist; does nothing when the
catalogue already has workshops. Commits, like the rest of the demo seed.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import db
from portal.workshops import catalog, services
from portal.workshops.models import Workshop

WORKSHOPS = (
    {
        "title_ja": "Azure 運用管理ワークショップ", "title_en": "Azure Operations Management Workshop",
        "description_ja": "監視、バックアップ、更新管理を 2 日間の演習で学びます。",
        "description_en": "Two days of hands-on practice with monitoring, backup and update management.",
        "days": 2, "delivery": "remote", "pricing": "per_attendee", "price": 150_000,
        "capacity": 12, "min_attendees": 4, "late_fee_tiers": [],
    },
    {
        "title_ja": "セキュリティ強化ワークショップ（専用開催）",
        "title_en": "Security Hardening Workshop (dedicated)",
        "description_ja": "貴社専用の 3 日間のオンサイト ワークショップです。",
        "description_en": "A three-day on-site workshop dedicated to your organisation.",
        "days": 3, "delivery": "onsite", "pricing": "dedicated", "price": 1_200_000,
        "capacity": 20, "min_attendees": 5, "late_fee_tiers": [(13, 50), (6, 100)],
    },
)
SESSION_OFFSETS = ((35, 70), (50, 90))  # days from today, moved to the next Tuesday


def _tuesday_after(today: date, days: int) -> date:
    """A Tuesday on or after today + days, clear of the year-end closure (12/27 – 1/5)."""
    day = today + timedelta(days=days)
    if (day.month, day.day) >= (12, 27):
        day = date(day.year + 1, 1, 6)
    elif (day.month, day.day) <= (1, 5):
        day = date(day.year, 1, 6)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def seed_workshops() -> list[str]:
    """Create the demo workshops, sessions and acme's booking; return lines to print."""
    if db.session.scalar(select(Workshop.id).limit(1)) is not None:
        return []
    today = catalog.today_jst()
    staff = db.session.scalar(select(User).where(User.role == "staff").limit(1))
    first_sessions = []
    for values, offsets in zip(WORKSHOPS, SESSION_OFFSETS, strict=True):
        workshop = catalog.create_workshop(staff, **values)
        sessions = [catalog.create_session(workshop, staff, _tuesday_after(today, days))
                    for days in offsets]
        first_sessions.append(sessions[0])
    admin = db.session.scalar(select(User).where(User.email == "admin@acme.example"))
    lines = [f"Workshops: {len(WORKSHOPS)} in the catalogue, sessions from {first_sessions[0].starts_on}"]
    if admin is not None:
        attendees = [services.AttendeeInput(admin.name, admin.email),
                     services.AttendeeInput("佐藤 一郎", "contact@acme.example")]
        booking = services.book(admin, first_sessions[0].id, attendees)
        lines.append(f"  acme booked workshop session {booking.session_id} (booking {booking.id})")
    db.session.commit()
    return lines
