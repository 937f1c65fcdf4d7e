"""Customers browse sessions and book them: attendees, price, contract term, notices, mail, .ics."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.workshops.models import Booking, WorkshopSession
from tests.integration.workshops import helpers as h


@pytest.fixture()
def two_day(people):
    return h.session(h.workshop())


def _attendees(*people):
    data = {}
    for index, (name, email) in enumerate(people):
        data[f"attendees-{index}-name"] = name
        data[f"attendees-{index}-email"] = email
    return data


def _book(client, session_row, *people):
    url = f"/workshops/sessions/{session_row.id}/book"
    return client.post(url, _attendees(*people), csrf_from=url)


def test_sessions_page_shows_dates_seats_and_price(client, two_day):
    client.login("contact@acme.example")  # designated contacts may look
    page = client.get("/workshops/").get_data(as_text=True)
    assert "Azure 運用ワークショップ" in page
    assert "2026年12月10日 – 2026年12月11日" in page
    assert "10 / 10" in page and "￥150,000" in page
    assert "/book" not in page  # but only the administrator books


def test_sessions_page_in_english(client, two_day):
    client.login("contact@kitsune.example")  # saved language: English
    page = client.get("/workshops/").get_data(as_text=True)
    assert "Azure Operations Workshop" in page and "Dec 10, 2026 – Dec 11, 2026" in page
    assert "¥150,000 per attendee" in page


def test_contact_cannot_book(client, two_day):
    client.login("contact@acme.example")
    assert client.get(f"/workshops/sessions/{two_day.id}/book").status_code == 403


def test_administrator_books_with_attendees(client, two_day, smtp_server):
    client.login("admin@acme.example")
    page = client.get(f"/workshops/sessions/{two_day.id}/book").get_data(as_text=True)
    assert "録画や録音はできません" in page  # the no-recording notice (seed wording)
    assert "14 日前の期限を過ぎて" in page  # the cancellation rule, services description 2.5
    assert "2026年11月26日 23:59 JST" in page  # this session's deadline
    response = _book(client, two_day, ("受講 太郎", "taro@acme.example"),
                     ("受講 花子", "hanako@acme.example"))
    assert response.status_code == 302
    booking = db.session.scalars(select(Booking)).one()
    assert (booking.price, booking.seats, booking.status) == (300_000, 2, "booked")
    assert [a.name for a in booking.attendees] == ["受講 太郎", "受講 花子"]
    assert h.reload(WorkshopSession, two_day.id).seats_left == 8
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "￥300,000" in shown and "taro@acme.example" in shown


def test_confirmation_mail_has_calendar_file_in_each_language(client, people, two_day,
                                                              smtp_server):
    client.login("admin@acme.example")
    _book(client, two_day, ("Kitsune Guest", "contact@kitsune.example"))
    drain_outbox()
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert set(by_recipient) == {"admin@acme.example", "contact@kitsune.example"}
    ja, en = by_recipient["admin@acme.example"], by_recipient["contact@kitsune.example"]
    assert "ワークショップ" in ja["Subject"] and "2026年12月10日" in ja["Subject"]
    assert en["Subject"].startswith("Workshop booked: Azure Operations Workshop")
    assert "￥150,000" in ja.get_body(("plain",)).get_content()
    assert "¥150,000" not in en.get_body(("plain",)).get_content()  # the price is the booker's
    ics = next(part for part in en.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename().endswith(".ics")
    text = ics.get_content() if isinstance(ics.get_content(), str) else ics.get_content().decode()
    assert "DTSTART;VALUE=DATE:20261210" in text and "DTEND;VALUE=DATE:20261212" in text
    assert "SUMMARY:Azure Operations Workshop" in text


@pytest.mark.parametrize(
    ("people_typed", "message"),
    [
        ((("", ""),), "受講者を 1 名以上入力してください"),
        ((("受講 太郎", "not-an-address"),), "有効なメールアドレス"),
        ((("", "taro@acme.example"),), "受講者の氏名を入力してください"),
        ((("受講 太郎", "same@acme.example"), ("受講 花子", "SAME@acme.example")), "1 回だけ"),
        ((("受講 太郎", "same@acme.example"), ("受講 花子", "ｓａｍｅ＠acme.example")), "1 回だけ"),
        ((("受講 太郎", "jürgen@kitsune.example"),), "@ より前に半角英数字・記号以外の文字"),
    ],
    ids=["nobody", "bad-email", "missing-name", "duplicate-email", "full-width-duplicate",
         "unmailable-local-part"],
)
def test_bad_attendees_keep_the_form(client, two_day, people_typed, message):
    client.login("admin@acme.example")
    response = _book(client, two_day, *people_typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    for name, email in people_typed:
        assert f'value="{email}"' in page or not email
        assert f'value="{name}"' in page or not name
    assert db.session.scalar(select(func.count(Booking.id))) == 0


def test_too_many_attendees_for_the_seats_left(client, people):
    small = h.session(h.workshop(capacity=2, min_attendees=1))
    client.login("admin@acme.example")
    response = _book(client, small, ("一", "a@acme.example"), ("二", "b@acme.example"),
                     ("三", "c@acme.example"))
    assert response.status_code == 409
    assert "残席が足りません" in response.get_data(as_text=True)
    assert h.reload(WorkshopSession, small.id).seats_taken == 0


def test_dedicated_session_takes_every_seat_for_a_flat_price(client, people):
    dedicated = h.session(h.workshop(pricing="dedicated", price=1_200_000, capacity=20))
    client.login("admin@acme.example")
    assert _book(client, dedicated, ("一", "a@acme.example")).status_code == 302
    booking = db.session.scalars(select(Booking)).one()
    assert (booking.price, booking.seats) == (1_200_000, 20)
    client.logout()
    client.login("admin@kitsune.example")
    assert _book(client, dedicated, ("二", "b@kitsune.example")).status_code == 409


def test_session_outside_the_contract_term_is_refused(client, people):
    late = h.session(h.workshop(), starts_on=date(2027, 3, 31))  # ends 2027-04-01
    client.login("admin@acme.example")
    page = client.get(f"/workshops/sessions/{late.id}/book").get_data(as_text=True)
    assert "契約期間外" in page and 'name="attendees-0-name"' not in page
    response = _book(client, late, ("受講 太郎", "taro@acme.example"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Booking.id))) == 0


def test_warning_within_60_days_of_the_contract_end(client, people):
    clock.travel_to(h.jst(2027, 2, 1, 10))  # 58 days before 2027-03-31
    near_end = h.session(h.workshop(), starts_on=date(2027, 3, 2))
    client.login("admin@acme.example")
    page = client.get(f"/workshops/sessions/{near_end.id}/book").get_data(as_text=True)
    assert "60 日未満" in page
    assert _book(client, near_end, ("受講 太郎", "taro@acme.example")).status_code == 302
    assert db.session.scalars(select(Booking)).one().contract_warning is True


def test_no_warning_earlier_in_the_term(client, two_day):
    client.login("admin@acme.example")
    page = client.get(f"/workshops/sessions/{two_day.id}/book").get_data(as_text=True)
    assert "60 日未満" not in page


def test_cancelled_or_started_session_cannot_be_booked(client, people, two_day):
    clock.travel_to(h.jst(2026, 12, 10, 9))
    client.login("admin@acme.example")
    response = _book(client, two_day, ("受講 太郎", "taro@acme.example"))
    assert response.status_code == 409
    assert "予約できません" in response.get_data(as_text=True)


def test_another_organisations_booking_is_404_everywhere(client, people, two_day):
    booking = h.book(people["acme_admin"], two_day)
    client.login("admin@kitsune.example")
    for url in (f"/workshops/bookings/{booking.id}", f"/workshops/bookings/{booking.id}/change",
                f"/workshops/bookings/{booking.id}/calendar.ics"):
        assert client.get(url).status_code == 404, url
    url = f"/workshops/bookings/{booking.id}/cancel"
    assert client.post(url, csrf_from="/workshops/").status_code == 404
    assert "受講 太郎" not in client.get("/workshops/bookings").get_data(as_text=True)


def test_calendar_download(client, people, two_day):
    booking = h.book(people["acme_admin"], two_day)
    client.login("admin@acme.example")
    response = client.get(f"/workshops/bookings/{booking.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "STATUS:CONFIRMED" in body
