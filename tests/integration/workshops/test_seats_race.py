"""Seats are never oversold: bookings racing for the last seats at the same instant, in threads,
each with its own database connection. Run on SQLite and on PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.db import db
from portal.workshops import services
from portal.workshops.interfaces import SessionFull
from portal.workshops.models import Booking, WorkshopSession
from tests import factories
from tests.integration.workshops import helpers as h


def _race(app, user_ids: list[int], session_id: int) -> list[str]:
    """Every user books one seat of the session at the same instant; returns each outcome."""
    barrier = threading.Barrier(len(user_ids))
    outcomes = [""] * len(user_ids)

    def attempt(index: int, user_id: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                people = [services.AttendeeInput(f"受講者 {index}", f"p{index}@race.example")]
                barrier.wait(timeout=10)
                services.book(user, session_id, people)
                db.session.commit()
                outcomes[index] = "booked"
            except SessionFull:
                db.session.rollback()
                outcomes[index] = "full"
            except Exception as error:  # reported by the assertion below
                db.session.rollback()
                outcomes[index] = f"error: {type(error).__name__}: {error}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i, uid)) for i, uid in enumerate(user_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _admins(people, count: int) -> list[int]:
    extra = [factories.user(f"admin{i}@acme.example", "customer_admin", people["acme"]).id
             for i in range(count - 2)]
    return [people["acme_admin"].id, people["kitsune_admin"].id, *extra]


@pytest.mark.parametrize("round_", range(5), ids=lambda n: f"round-{n}")
def test_two_bookings_for_the_last_seat_exactly_one_succeeds(app, people, round_):
    session = h.session(h.workshop(capacity=3, min_attendees=0))
    h.book(people["acme_admin"], session, ("一", "a@acme.example"), ("二", "b@acme.example"))
    outcomes = _race(app, _admins(people, 2), session.id)
    assert sorted(outcomes) == ["booked", "full"]
    assert h.reload(WorkshopSession, session.id).seats_taken == 3
    assert db.session.scalar(select(func.count(Booking.id))) == 2


def test_many_bookings_for_a_few_seats(app, people):
    session = h.session(h.workshop(capacity=3, min_attendees=0))
    outcomes = _race(app, _admins(people, 8), session.id)
    assert sorted(outcomes) == ["booked"] * 3 + ["full"] * 5
    seats = db.session.scalar(select(func.sum(Booking.seats)).where(Booking.status == "booked"))
    assert seats == h.reload(WorkshopSession, session.id).seats_taken == 3


def test_the_last_seat_through_the_api(app, client, other_client, people):
    session_id = h.session(h.workshop(capacity=1, min_attendees=0)).id
    tokens = [h.token(people["acme_admin"]), h.token(people["kitsune_admin"])]
    barrier = threading.Barrier(2)
    statuses = [0, 0]

    def post(index: int, http) -> None:
        barrier.wait(timeout=10)
        statuses[index] = http.open("POST", "/api/v1/bookings", headers=tokens[index], json={
            "session_id": session_id,
            "attendees": [{"name": "受講者", "email": f"p{index}@race.example"}]}).status_code

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate((client, other_client))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    assert h.reload(WorkshopSession, session_id).seats_left == 0
    assert db.session.scalar(select(func.count(Booking.id))) == 1
