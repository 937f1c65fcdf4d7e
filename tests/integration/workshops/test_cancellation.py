"""Cancel and reschedule through the page: the deadline, the rule and the exact fee, confirmed."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.workshops import services
from portal.workshops.models import Booking, WorkshopSession
from tests.integration.workshops import helpers as h

FEE_RE = re.compile(r'data-testid="fee">([^<]+)<')


@pytest.fixture()
def booked(people):
    row = h.session(h.workshop())
    return h.book(people["acme_admin"], row)


def _cancel(client, booking, **fields):
    page = f"/workshops/bookings/{booking.id}"
    data = {"cancel-csrf_token": client.csrf_token(page), **fields}
    return client.open("POST", f"/workshops/bookings/{booking.id}/cancel", data=data)


def _reschedule(client, booking, session_id, **fields):
    page = f"/workshops/bookings/{booking.id}/change"
    data = {"reschedule-csrf_token": client.csrf_token(page),
            "reschedule-session_id": str(session_id), **fields}
    return client.open("POST", f"/workshops/bookings/{booking.id}/reschedule", data=data)


@pytest.mark.parametrize(
    ("at", "fee", "confirmation"),
    [
        (h.jst(2026, 11, 26, 23, 59, 59, 999000), "無料", False),
        (h.jst(2026, 11, 27, 0, 0), "解約手数料: ￥300,000", True),
        (h.jst(2026, 12, 10, 8, 0), "解約手数料: ￥300,000", True),
    ],
    ids=["d-14-last-instant-free", "d-13-midnight-full-fee", "first-day-full-fee"],
)
def test_change_page_shows_deadline_rule_and_fee(client, booked, at, fee, confirmation):
    clock.travel_to(at)
    client.login("admin@acme.example")
    page = client.get(f"/workshops/bookings/{booked.id}/change").get_data(as_text=True)
    assert FEE_RE.search(page).group(1) == fee
    assert ('name="cancel-acknowledge_fee"' in page) is confirmation
    assert "2026年11月26日 23:59 JST" in page  # the deadline
    assert "サービス価格の 100% を上限とする解約手数料" in page  # the rule, from the seed


def test_free_cancellation_needs_no_confirmation(client, booked, smtp_server):
    clock.travel_to(h.jst(2026, 11, 26, 18, 0))
    client.login("admin@acme.example")
    assert _cancel(client, booked, **{"cancel-reason": "予定変更"}).status_code == 302
    booking = h.booking(booked.id)
    assert (booking.status, booking.fee_charged, booking.fee_percent) == ("cancelled", 0, 0)
    assert booking.reason == "予定変更"
    assert h.reload(WorkshopSession, booking.session_id).seats_taken == 0
    drain_outbox()
    cancelled = [m for m in smtp_server.messages if "取りやめ" in m["Subject"]]
    assert {m["To"] for m in cancelled} == {"admin@acme.example", "taro@acme.example",
                                            "hanako@acme.example"}
    ics = next(cancelled[0].iter_attachments()).get_content()
    assert "STATUS:CANCELLED" in (ics if isinstance(ics, str) else ics.decode())


def test_late_cancellation_asks_for_confirmation_then_charges(client, booked):
    clock.travel_to(h.jst(2026, 11, 27, 0, 0))
    client.login("admin@acme.example")
    refused = _cancel(client, booked, **{"cancel-quoted_fee": "300000"})
    assert refused.status_code == 409
    assert "解約手数料を確認してください" in refused.get_data(as_text=True)
    assert h.booking(booked.id).status == "booked"
    accepted = _cancel(client, booked, **{"cancel-quoted_fee": "300000",
                                          "cancel-acknowledge_fee": "y"})
    assert accepted.status_code == 302
    booking = h.booking(booked.id)
    assert (booking.status, booking.fee_charged, booking.fee_percent) == ("cancelled", 300_000, 100)
    page = client.get(f"/workshops/bookings/{booked.id}").get_data(as_text=True)
    assert "￥300,000 (100%)" in page


def test_fee_confirmed_at_zero_does_not_cover_a_fee_that_became_due(client, booked):
    """The page said "free" at 23:59; the form is sent after midnight: ask again, charge nothing yet."""
    clock.travel_to(h.jst(2026, 11, 26, 23, 59))
    client.login("admin@acme.example")
    page = f"/workshops/bookings/{booked.id}/change"
    token = client.csrf_token(page)
    clock.travel_to(h.jst(2026, 11, 27, 0, 0, 1))
    response = client.open("POST", f"/workshops/bookings/{booked.id}/cancel", data={
        "cancel-csrf_token": token, "cancel-quoted_fee": "0", "cancel-acknowledge_fee": "y"})
    assert response.status_code == 409
    assert FEE_RE.search(response.get_data(as_text=True)).group(1) == "解約手数料: ￥300,000"
    assert h.booking(booked.id).status == "booked"


def test_tiers_are_those_of_the_booking(client, people):
    workshop = h.workshop(late_fee_tiers=[(13, 50), (3, 100)])
    booking = h.book(people["acme_admin"], h.session(workshop))
    from portal.workshops import catalog

    values = {f: getattr(workshop, f) for f in catalog.FIELDS}
    catalog.update_workshop(workshop, None, **{**values, "late_fee_tiers": []})
    db.session.commit()
    clock.travel_to(h.jst(2026, 12, 1, 12))  # D - 9
    quote = services.quote(h.booking(booking.id))
    assert (quote.percent, quote.fee) == (50, 150_000)


def test_started_session_cannot_be_cancelled(client, booked):
    clock.travel_to(h.jst(2026, 12, 11, 9))
    client.login("admin@acme.example")
    page = client.get(f"/workshops/bookings/{booked.id}/change").get_data(as_text=True)
    assert "取りやめ・スケジュール変更はできません" in page
    response = _cancel(client, booked, **{"cancel-acknowledge_fee": "y",
                                          "cancel-quoted_fee": "300000"})
    assert response.status_code == 409
    assert h.booking(booked.id).status == "booked"


def test_cancelling_twice_is_refused(client, booked):
    client.login("admin@acme.example")
    assert _cancel(client, booked).status_code == 302
    assert _cancel(client, booked).status_code == 409
    assert h.reload(WorkshopSession, booked.session_id).seats_taken == 0


def test_reschedule_free_before_deadline_keeps_history(client, people, booked, smtp_server):
    later = h.session(booked.session.workshop, starts_on=date(2027, 1, 14))
    client.login("admin@acme.example")
    response = _reschedule(client, booked, later.id)
    assert response.status_code == 302
    old = h.booking(booked.id)
    new = db.session.scalars(select(Booking).where(Booking.rescheduled_from_id == old.id)).one()
    assert (old.status, old.fee_charged) == ("rescheduled", 0)
    assert (new.status, new.session_id, new.price) == ("booked", later.id, 300_000)
    assert [a.email for a in new.attendees] == ["taro@acme.example", "hanako@acme.example"]
    assert h.reload(WorkshopSession, old.session_id).seats_taken == 0
    assert h.reload(WorkshopSession, later.id).seats_taken == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"#{old.id}" in page  # moved from


def test_late_reschedule_costs_the_same_fee(client, people, booked):
    later = h.session(booked.session.workshop, starts_on=date(2027, 1, 14))
    clock.travel_to(h.jst(2026, 12, 1, 12))
    client.login("admin@acme.example")
    assert _reschedule(client, booked, later.id).status_code == 409
    assert _reschedule(client, booked, later.id, **{
        "reschedule-quoted_fee": "300000", "reschedule-acknowledge_fee": "y"}).status_code == 302
    old = h.booking(booked.id)
    assert (old.status, old.fee_charged, old.fee_percent) == ("rescheduled", 300_000, 100)


def test_reschedule_to_a_full_session_changes_nothing(client, people, booked):
    full = h.session(h.workshop(capacity=2, min_attendees=0), starts_on=date(2027, 1, 14))
    other = h.session(booked.session.workshop, starts_on=date(2027, 1, 21))
    h.book(people["kitsune_admin"], other, *[(f"K{i}", f"k{i}@kitsune.example") for i in range(9)])
    client.login("admin@acme.example")
    for target in (full.id, other.id):  # another workshop's session; a session without seats
        assert _reschedule(client, booked, target).status_code == 422
    assert h.booking(booked.id).status == "booked"
    assert h.reload(WorkshopSession, booked.session_id).seats_taken == 2


def test_contact_cannot_cancel(client, booked):
    client.login("contact@acme.example")
    assert client.get(f"/workshops/bookings/{booked.id}/change").status_code == 403


def test_change_page_in_english(client, booked):
    client.login("admin@acme.example")
    client.post("/language", {"lang": "en", "next": "/workshops/"}, csrf_from="/workshops/")
    url = f"/workshops/bookings/{booked.id}/change"
    clock.travel_to(h.jst(2026, 11, 26, 12))
    client.login("admin@acme.example")  # a day later: the idle session has ended
    page = client.get(url).get_data(as_text=True)
    assert FEE_RE.search(page).group(1) == "Free"
    assert "Nov 26, 2026, 11:59 PM JST" in page and "up to 100% of the service price" in page
    clock.travel_to(h.jst(2026, 11, 27, 12))
    client.login("admin@acme.example")
    page = client.get(url).get_data(as_text=True)
    assert FEE_RE.search(page).group(1) == "Cancellation fee: ¥300,000"
    assert "I accept the cancellation fee of ¥300,000 (100% of the booking price)." in page
