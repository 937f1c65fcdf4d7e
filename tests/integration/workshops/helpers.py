"""Workshop test data made through the portal's own services, at a fixed instant."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.accounts import services as accounts
from portal.db import db
from portal.workshops import catalog, services
from portal.workshops.models import Booking

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 1, 10, 0, tzinfo=JST)  # the contract term is 2026-01-01 .. 2027-03-31
D = date(2026, 12, 10)  # first day of the main session; the deadline is the end of 2026-11-26


def jst(*args) -> datetime:
    return datetime(*args, tzinfo=JST)


def workshop(**overrides):
    values = {
        "title_ja": "Azure 運用ワークショップ", "title_en": "Azure Operations Workshop",
        "description_ja": "2 日間の演習", "description_en": "Two days of practice",
        "days": 2, "delivery": "remote", "pricing": "per_attendee", "price": 150_000,
        "capacity": 10, "min_attendees": 2, "late_fee_tiers": [],
    }
    values.update(overrides)
    item = catalog.create_workshop(None, **values)
    db.session.commit()
    return item


def session(item, starts_on: date = D, ends_on: date | None = None):
    row = catalog.create_session(item, None, starts_on, ends_on)
    db.session.commit()
    return row


def book(admin, session_row, *people):
    people = people or (("受講 太郎", "taro@acme.example"), ("受講 花子", "hanako@acme.example"))
    booking = services.book(admin, session_row.id,
                            [services.AttendeeInput(name, email) for name, email in people])
    db.session.commit()
    return booking


def reload(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def booking(booking_id) -> Booking:
    return reload(Booking, booking_id)


def token(user) -> dict:
    value, _row = accounts.issue_token(user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {value}"}
