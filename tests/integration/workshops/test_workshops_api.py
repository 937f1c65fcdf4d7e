"""The workshop API as shared/api.md gives it, each answer checked against its OpenAPI schema."""
from __future__ import annotations

from datetime import date

import jsonschema
import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.workshops.models import Booking, Workshop
from tests.integration.workshops import helpers as h

NEW_WORKSHOP = {"title_ja": "Defender 演習", "title_en": "Defender practice",
                "description_ja": "", "description_en": "", "days": 2, "pricing": "per_attendee",
                "price": 100_000, "capacity": 8, "min_attendees": 2,
                "late_fee_tiers": [{"days_before": 13, "percent": 50},
                                   {"days_before": 3, "percent": 100}]}


@pytest.fixture()
def spec(client):
    return client.get("/api/v1/openapi.json").json


def _valid(spec, body, name):
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{name}",
                               "components": spec["components"]})


@pytest.fixture()
def booked(people):
    return h.book(people["acme_admin"], h.session(h.workshop()))


def test_sessions_list(client, people, spec, booked):
    body = client.get("/api/v1/workshops/sessions", headers=h.token(people["acme_contact"])).json
    _valid(spec, body, "WorkshopSessionList")
    item = body["items"][0]
    assert item["workshop"]["title"] == "Azure 運用ワークショップ"
    assert (item["starts_on"], item["ends_on"], item["seats_left"]) == ("2026-12-10", "2026-12-11", 8)
    assert item["price"] == {"amount": 150_000, "currency": "JPY"}
    english = client.get("/api/v1/workshops/sessions", headers=h.token(people["kitsune_contact"])).json
    assert english["items"][0]["workshop"]["title"] == "Azure Operations Workshop"


def test_catalogue_list(client, people, spec, booked):
    body = client.get("/api/v1/workshops", headers=h.token(people["acme_contact"])).json
    _valid(spec, body, "WorkshopList")
    assert [w["title_en"] for w in body["items"]] == ["Azure Operations Workshop"]


def test_book_through_the_api(client, people, spec):
    session = h.session(h.workshop())
    response = client.open("POST", "/api/v1/bookings", headers=h.token(people["acme_admin"]), json={
        "session_id": session.id, "attendees": [{"name": "受講 太郎", "email": "taro@acme.example"}]})
    assert response.status_code == 201
    _valid(spec, response.json, "Booking")
    assert response.json["price"] == {"amount": 150_000, "currency": "JPY"}
    assert response.json["cancellation_deadline"] == "2026-11-26T23:59:59.999+09:00"
    assert response.json["attendees"] == [{"name": "受講 太郎", "email": "taro@acme.example"}]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"session_id": "one", "attendees": []}, 422, "validation_failed"),
        ({"session_id": 9999, "attendees": [{"name": "A", "email": "a@acme.example"}]}, 422,
         "validation_failed"),
        ({"attendees": "A"}, 422, "validation_failed"),
        ({"attendees": [{"name": "A", "email": "nope"}]}, 422, "validation_failed"),
    ],
    ids=["session-not-a-number", "unknown-session", "attendees-not-a-list", "bad-email"],
)
def test_bad_booking_is_a_json_error(client, people, spec, body, status, code):
    session = h.session(h.workshop())
    body = {"session_id": session.id, **body}
    response = client.open("POST", "/api/v1/bookings", headers=h.token(people["acme_admin"]),
                           json=body)
    assert (response.status_code, response.json["error"]["code"]) == (status, code)
    _valid(spec, response.json, "Error")


def test_booking_outside_the_contract_is_refused(client, people):
    session = h.session(h.workshop(), starts_on=date(2027, 4, 5))
    response = client.open("POST", "/api/v1/bookings", headers=h.token(people["acme_admin"]), json={
        "session_id": session.id, "attendees": [{"name": "A", "email": "a@acme.example"}]})
    assert (response.status_code, response.json["error"]["code"]) == (422, "outside_contract_term")


def test_only_the_customer_administrator_books(client, people):
    session = h.session(h.workshop())
    body = {"session_id": session.id, "attendees": [{"name": "A", "email": "a@acme.example"}]}
    for who in ("acme_contact", "staff"):
        response = client.open("POST", "/api/v1/bookings", headers=h.token(people[who]), json=body)
        assert response.status_code == 403, who


@pytest.mark.parametrize(
    ("at", "free", "fee", "percent"),
    [(h.jst(2026, 11, 26, 23, 59, 59, 999000), True, 0, 0),
     (h.jst(2026, 11, 27, 0, 0), False, 300_000, 100)],
    ids=["deadline-free", "after-deadline-full-fee"],
)
def test_cancellation_quote(client, people, spec, booked, at, free, fee, percent):
    clock.travel_to(at)
    body = client.get(f"/api/v1/bookings/{booked.id}/cancellation-quote",
                      headers=h.token(people["acme_admin"])).json
    _valid(spec, body, "CancellationQuote")
    assert (body["free"], body["fee"]["amount"], body["percent"]) == (free, fee, percent)
    assert body["deadline"] == "2026-11-26T23:59:59.999+09:00"


def test_cancel_needs_the_fee_acknowledged(client, people, spec, booked):
    clock.travel_to(h.jst(2026, 12, 1, 9))
    headers = h.token(people["acme_admin"])
    url = f"/api/v1/bookings/{booked.id}/cancel"
    refused = client.open("POST", url, headers=headers, json={})
    assert refused.status_code == 409
    _valid(spec, refused.json, "Error")
    assert refused.json["error"]["code"] == "fee_confirmation_required"
    assert refused.json["error"]["fee"] == {"amount": 300_000, "currency": "JPY"}
    assert h.booking(booked.id).status == "booked"
    done = client.open("POST", url, headers=headers, json={"acknowledge_fee": True})
    assert done.status_code == 200
    _valid(spec, done.json, "Booking")
    assert done.json["status"] == "cancelled"
    assert done.json["fee_charged"] == {"amount": 300_000, "currency": "JPY"}
    again = client.open("POST", url, headers=headers, json={"acknowledge_fee": True})
    assert (again.status_code, again.json["error"]["code"]) == (409, "not_changeable")


def test_free_cancel_needs_no_acknowledgement(client, people, booked):
    response = client.open("POST", f"/api/v1/bookings/{booked.id}/cancel",
                           headers=h.token(people["acme_admin"]))
    assert response.status_code == 200 and response.json["fee_charged"]["amount"] == 0


def test_reschedule_through_the_api(client, people, spec, booked):
    later = h.session(booked.session.workshop, starts_on=date(2027, 1, 14))
    response = client.open("POST", f"/api/v1/bookings/{booked.id}/reschedule",
                           headers=h.token(people["acme_admin"]), json={"session_id": later.id})
    assert response.status_code == 201
    _valid(spec, response.json, "Booking")
    assert response.json["rescheduled_from"] == booked.id
    old = client.get(f"/api/v1/bookings/{booked.id}", headers=h.token(people["acme_admin"])).json
    assert (old["status"], old["rescheduled_to"]) == ("rescheduled", response.json["id"])


def test_another_organisations_booking_is_404(client, people, booked):
    headers = h.token(people["kitsune_admin"])
    for method, suffix in (("GET", ""), ("GET", "/cancellation-quote"), ("POST", "/cancel"),
                           ("POST", "/reschedule")):
        response = client.open(method, f"/api/v1/bookings/{booked.id}{suffix}", headers=headers,
                               json={"session_id": 1})
        assert response.status_code == 404, suffix
    listed = client.get("/api/v1/bookings", headers=headers).json
    assert listed["items"] == []


def test_bookings_list(client, people, spec, booked):
    body = client.get("/api/v1/bookings", headers=h.token(people["acme_admin"])).json
    _valid(spec, body, "BookingList")
    assert [b["id"] for b in body["items"]] == [booked.id]
    staff = client.get("/api/v1/bookings", headers=h.token(people["staff"])).json
    assert [b["organization"]["slug"] for b in staff["items"]] == ["acme"]


def test_staff_create_workshop_and_session(client, people, spec):
    headers = h.token(people["staff"])
    created = client.open("POST", "/api/v1/workshops", headers=headers, json=NEW_WORKSHOP)
    assert created.status_code == 201
    _valid(spec, created.json, "Workshop")
    assert created.json["late_fee_tiers"] == [{"days_before": 3, "percent": 100},
                                              {"days_before": 13, "percent": 50}]
    url = f"/api/v1/workshops/{created.json['id']}/sessions"
    session = client.open("POST", url, headers=headers, json={"starts_on": "2026-12-10"})
    assert session.status_code == 201
    _valid(spec, session.json, "WorkshopSession")
    assert (session.json["ends_on"], session.json["seats_left"]) == ("2026-12-11", 8)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"late_fee_tiers": [{"days_before": 13, "percent": 101}]}, "late_fee_tiers"),
     ({"late_fee_tiers": [{"days_before": 20, "percent": 50}]}, "late_fee_tiers"),
     ({"late_fee_tiers": "13=50"}, "late_fee_tiers"),
     ({"price": "100000"}, "price"),
     ({"pricing": "per_head"}, "pricing"),
     ({"min_attendees": 9}, "min_attendees")],
    ids=["tier-above-100", "tier-20-days", "tiers-not-a-list", "price-string", "pricing-unknown",
         "minimum-above-capacity"],
)
def test_staff_bad_workshop_is_422(client, people, changes, field):
    response = client.open("POST", "/api/v1/workshops", headers=h.token(people["staff"]),
                           json={**NEW_WORKSHOP, **changes})
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(Workshop.id)) is None


@pytest.mark.parametrize("body", [{"starts_on": "10/12/2026"}, {"starts_on": "2026-10-01"}, {}],
                         ids=["bad-format", "past", "missing"])
def test_staff_bad_session_is_422(client, people, body):
    workshop = h.workshop()
    response = client.open("POST", f"/api/v1/workshops/{workshop.id}/sessions",
                           headers=h.token(people["staff"]), json=body)
    assert (response.status_code, response.json["error"]["code"]) == (422, "validation_failed")


def test_customers_get_403_on_staff_endpoints(client, people):
    workshop = h.workshop()
    for who in ("acme_admin", "acme_contact"):
        headers = h.token(people[who])
        assert client.open("POST", "/api/v1/workshops", headers=headers,
                           json=NEW_WORKSHOP).status_code == 403
        assert client.open("POST", f"/api/v1/workshops/{workshop.id}/sessions", headers=headers,
                           json={"starts_on": "2026-12-10"}).status_code == 403


def test_not_json_is_400(client, people):
    response = client.open("POST", "/api/v1/workshops", headers=h.token(people["staff"]),
                           data="not json", content_type="text/plain")
    assert (response.status_code, response.json["error"]["code"]) == (400, "bad_request")


def test_fee_is_stored_on_the_booking(client, people, booked):
    clock.travel_to(h.jst(2026, 12, 9, 9))
    client.open("POST", f"/api/v1/bookings/{booked.id}/cancel",
                headers=h.token(people["acme_admin"]), json={"acknowledge_fee": True})
    booking = db.session.scalars(select(Booking)).one()
    assert (booking.fee_charged, booking.fee_percent) == (300_000, 100)
