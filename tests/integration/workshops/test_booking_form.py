"""The booking form keeps what was typed and says what a booking commits to (issue 18, and the
attendee limit left from issue 17)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.db import db
from portal.notifications.services import drain_outbox
from portal.workshops.models import Booking
from tests import factories
from tests.integration.workshops import helpers as h

LATE = date(2026, 11, 12)  # its free deadline was the end of 2026-10-29, before NOW (11-01)


def _rows(*people):
    data = {}
    for index, (name, email) in enumerate(people):
        data[f"attendees-{index}-name"] = name
        data[f"attendees-{index}-email"] = email
    return data


def _post(client, session_row, data):
    url = f"/workshops/sessions/{session_row.id}/book"
    return client.post(url, data, csrf_from=url)


def _bookings() -> int:
    return db.session.scalar(select(func.count(Booking.id)))


TYPED = (("受講 太郎", "taro@acme.example"), ("受講 花子", "hanako@acme.example"),
         ("受講 次郎", "jiro@acme.example"))


def test_adding_rows_keeps_the_attendees_typed_and_books_nothing(client, people):
    session = h.session(h.workshop())
    client.login("admin@acme.example")
    form = client.get(f"/workshops/sessions/{session.id}/book").get_data(as_text=True)
    assert 'name="add_rows"' in form  # a button of the form, not a link that drops it
    answer = _post(client, session, {**_rows(*TYPED), "add_rows": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for name, email in TYPED:
        assert f'value="{name}"' in page and f'value="{email}"' in page
    assert 'name="attendees-7-name"' in page and 'name="attendees-8-name"' not in page  # 3 + 5
    assert _bookings() == 0
    booked = _post(client, session, _rows(*TYPED, ("", ""), ("", "")))
    assert booked.status_code == 302
    assert [a.name for a in db.session.scalars(select(Booking)).one().attendees] == [
        name for name, _email in TYPED]


def test_rows_are_never_added_beyond_the_seats_left(client, people):
    session = h.session(h.workshop(capacity=4, min_attendees=1))
    client.login("admin@acme.example")
    page = _post(client, session, {**_rows(*TYPED), "add_rows": "1"}).get_data(as_text=True)
    assert 'name="attendees-3-name"' in page and 'name="attendees-4-name"' not in page
    assert 'name="add_rows"' not in page  # four rows for four seats: nothing more to add


def _crowd(count: int):
    return [(f"受講者 {n}", f"person{n}@acme.example") for n in range(count)]


def test_more_than_100_attendees_is_a_field_error_with_every_row_kept(client, people):
    session = h.session(h.workshop(capacity=200, min_attendees=1))
    client.login("admin@acme.example")
    answer = _post(client, session, _rows(*_crowd(101)))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "1 件の予約に指定できる受講者は 100 名までです（入力済み 101 名）。" in page
    assert 'id="attendees-error"' in page and 'aria-describedby="attendees-error"' in page
    assert 'value="person100@acme.example"' in page  # the 101st row is back, not cut off
    assert _bookings() == 0
    assert _post(client, session, _rows(*_crowd(100))).status_code == 302


def test_the_attendee_limit_in_english(client, people):
    factories.user("en.admin@acme.example", "customer_admin", people["acme"], locale="en")
    session = h.session(h.workshop(capacity=200, min_attendees=1))
    client.login("en.admin@acme.example")
    page = _post(client, session, _rows(*_crowd(120))).get_data(as_text=True)
    assert "A booking can name at most 100 attendees; 120 are filled in." in page
    assert 'value="person119@acme.example"' in page


def test_booking_inside_the_fee_period_warns_of_the_full_fee(client, people, smtp_server):
    late = h.session(h.workshop(), starts_on=LATE)
    client.login("admin@acme.example")
    form = client.get(f"/workshops/sessions/{late.id}/book").get_data(as_text=True)
    assert "無料で取りやめできる期限（2026年10月29日 23:59 JST）は既に過ぎています。" in form
    assert ("今予約すると、取りやめ・スケジュール変更には予約金額の 100% の解約手数料がかかります"
            "（受講者 1 名あたり ￥150,000）。") in form
    assert 'aria-describedby="late-booking-warning"' in form  # read out at the Book button
    response = _post(client, late, _rows(("受講 太郎", "taro@acme.example")))
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("今取りやめ・スケジュール変更をすると、予約金額 ￥150,000 の 100% にあたる"
            "解約手数料 ￥150,000 がかかります") in shown
    drain_outbox()
    mail = next(m for m in smtp_server.messages if m["To"] == "admin@acme.example")
    text = mail.get_body(("plain",)).get_content()
    assert "無料で取りやめできる期限（2026年10月29日 23:59 JST）を過ぎてからの予約です" in text
    assert "100%" in text and "￥150,000" in text
    assert "までは無料で" not in text  # never "free until" a day already past


def test_a_tier_below_100_percent_is_named_as_such(client, people):
    tiered = h.session(h.workshop(late_fee_tiers=[(13, 50), (3, 100)]), starts_on=date(2026, 11, 10))
    client.login("admin@acme.example")  # D − 9: the 50 % tier
    form = client.get(f"/workshops/sessions/{tiered.id}/book").get_data(as_text=True)
    assert "予約金額の 50% の解約手数料がかかります" in form


def test_no_fee_warning_before_the_deadline(client, people, smtp_server):
    early = h.session(h.workshop())  # 2026-12-10: free until the end of 2026-11-26
    client.login("admin@acme.example")
    form = client.get(f"/workshops/sessions/{early.id}/book").get_data(as_text=True)
    assert "late-booking-warning" not in form and "既に過ぎています" not in form
    response = _post(client, early, _rows(("受講 太郎", "taro@acme.example")))
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "解約手数料 ￥" not in shown


def test_the_fee_period_warning_in_english(client, people):
    factories.user("en.admin@acme.example", "customer_admin", people["acme"], locale="en")
    dedicated = h.session(h.workshop(pricing="dedicated", price=1_200_000, capacity=20),
                          starts_on=LATE)
    client.login("en.admin@acme.example")
    form = client.get(f"/workshops/sessions/{dedicated.id}/book").get_data(as_text=True)
    assert ("The deadline for free cancellation of this session (Oct 29, 2026, 11:59 PM JST) "
            "has already passed.") in form
    assert ("If you book now, cancelling or rescheduling costs 100% of the booking price "
            "(¥1,200,000 for the session).") in form
