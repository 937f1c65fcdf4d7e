"""A booking's attendee list is counted before any address in it is checked, and every address
is one that mail can reach."""
from __future__ import annotations

import time

from portal.workshops import services
from portal.workshops.interfaces import WorkshopError
from tests.integration.workshops import helpers as h

HUGE = 150_000


def test_a_huge_attendee_list_is_refused_before_any_address_is_checked(people):
    crowd = [services.AttendeeInput(f"受講者 {n}", f"person{n}@acme.example") for n in range(HUGE)]
    started = time.process_time()
    try:
        services.clean_attendees(crowd)
    except WorkshopError as error:
        refused = error
    spent = time.process_time() - started
    assert refused.field == "attendees" and "多すぎます" in str(refused.message)
    assert spent < 0.5, f"{spent:.2f} s of CPU before the limit was checked"


def test_the_api_answers_a_huge_booking_at_once(client, people):
    """150,000 attendees are over the API's 1 MiB body limit (413, read no further); 5,000 fit
    in it and are refused by the attendee limit, naming the field, before any address is read."""
    session = h.session(h.workshop())
    answers = []
    for count in (HUGE, 5_000):
        body = {"session_id": session.id,
                "attendees": [{"name": "A", "email": f"a{n}@acme.example"} for n in range(count)]}
        started = time.process_time()
        response = client.open("POST", "/api/v1/bookings",
                               headers=h.token(people["acme_admin"]), json=body)
        spent = time.process_time() - started
        answers.append(response.status_code)
        assert spent < 3, f"{spent:.2f} s of CPU"  # JSON in and out; the addresses are never read
    assert answers == [413, 422]
    assert "attendees" in response.json["error"]["fields"]


def test_an_unmailable_attendee_is_refused_by_the_api(client, people):
    session = h.session(h.workshop())
    response = client.open("POST", "/api/v1/bookings", headers=h.token(people["acme_admin"]),
                           json={"session_id": session.id,
                                 "attendees": [{"name": "Jürgen", "email": "jürgen@kitsune.example"}]})
    assert response.status_code == 422
    assert "attendees-0-email" in response.json["error"]["fields"]
