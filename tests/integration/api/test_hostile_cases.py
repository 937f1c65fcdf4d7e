"""Each hostile input of issue 17, item 2, once, table-driven: a clear 4xx, never a 5xx, the
form or the body kept. Runs on SQLite and on PostgreSQL (where a NUL byte or an integer beyond
the column's range made the whole statement fail)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from portal.core import clock
from portal.db import db
from portal.tickets.models import Message, Ticket
from tests import factories
from tests.helpers import bearer, file_request
from tests.integration.workshops import helpers as workshops

KEPT = "あとで読み返す文章"  # typed into the form beside the hostile character; must come back


@pytest.fixture()
def people(app):
    clock.travel_to(workshops.NOW)
    return factories.two_organizations()


@pytest.fixture()
def ticket(people):
    return file_request(people["acme_contact"])


# --- the API ---------------------------------------------------------------------------------

TOO_DEEP = "[" * 1000 + "]" * 1000
VERY_DEEP = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "field"),
    [
        ("GET", "/api/v1/tickets?status=%00", None, 422, "status"),
        ("GET", "/api/v1/tickets?kind=question%00", None, 422, "kind"),
        ("GET", "/api/v1/tickets?page=2147483648", None, 422, "page"),
        ("GET", "/api/v1/tickets?page=" + "9" * 5000, None, 422, "page"),
        ("GET", "/api/v1/tickets?per_page=1000", None, 422, "per_page"),
        ("GET", "/api/v1/tickets?page=%EF%BC%92", None, 422, "page"),  # full-width ２
        ("GET", "/api/v1/tickets?stauts=open", None, 422, "stauts"),
        ("GET", "/api/v1/tickets/2147483648", None, 404, None),
        ("GET", "/api/v1/tickets/" + "9" * 5000, None, 404, None),
        ("GET", "/api/v1/tickets/%EF%BC%91", None, 404, None),  # full-width １
        ("PATCH", "/api/v1/tickets/2147483648", {"status": "closed"}, 404, None),
        ("GET", "/api/v1/bookings/9223372036854775808", None, 404, None),
        ("POST", "/api/v1/tickets/{ticket}/messages", {"body": f"{KEPT}\x00"}, 422, "body"),
        ("POST", "/api/v1/tickets/{ticket}/messages", {"body": "x" * 20_001}, 422, "body"),
        ("POST", "/api/v1/tickets/{ticket}/messages", {"body": "はい", "internal": "no"}, 422,
         "internal"),
        ("POST", "/api/v1/tickets", {"kind": "question", "subject": "件名\x00", "body": "本文"},
         422, "subject"),
        ("POST", "/api/v1/tickets", {"kind": "question", "subject": "長" * 300, "body": "本文"},
         422, "subject"),
        ("POST", "/api/v1/tickets", {"kind": "question", "subject": "件名", "body": "b" * 25_000},
         422, "body"),
        ("POST", "/api/v1/tickets", {"kind": "question", "subject": "件名", "body": "本文",
                                     "acknowledge_overage": "yes please"}, 422,
         "acknowledge_overage"),
        ("POST", "/api/v1/tickets", {"kind": "bug", "subject": "件名", "body": "本文"}, 422, "kind"),
        ("POST", "/api/v1/tickets", {"kind": "question", "subject": "件名", "body": "本文",
                                     "priority": "high"}, 422, "priority"),
        ("POST", "/api/v1/tickets", "title=x", 400, None),
        ("POST", "/api/v1/tickets", TOO_DEEP, 400, None),
        ("POST", "/api/v1/tickets", VERY_DEEP, 400, None),
        ("POST", "/api/v1/tickets", '{"subject": "\\ud800"}', 400, None),
        ("POST", "/api/v1/tickets", "[]", 422, "(body)"),
        ("POST", "/api/v1/tickets", "{" + " " * (1024 * 1024) + "}", 413, None),
        ("POST", "/api/v1/bookings", {"session_id": 10**30, "attendees": []}, 404, "session_id"),
        ("POST", "/api/v1/bookings", {"session_id": -1, "attendees": []}, 404, "session_id"),
        ("POST", "/api/v1/bookings", {"session_id": "1", "attendees": []}, 422, "session_id"),
        ("GET", "/api/v1/usage?month=0000-01", None, 422, "month"),
        ("GET", "/api/v1/usage?month=9999-12", None, 422, "month"),
        ("GET", "/api/v1/usage?month=2026-12%0A", None, 422, "month"),
        ("GET", "/api/v1/usage?month=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-12", None, 422, "month"),
        ("GET", "/api/v1/usage?month=2026-13", None, 422, "month"),
        ("GET", "/api/v1/documents/service-plan.pdf?lang=de", None, 422, "lang"),
        ("GET", "/api/v1/documents/outbrief-99999999999999.pdf", None, 404, None),
    ],
    ids=lambda value: None,
)
def test_the_api_answers_hostile_input_with_a_clear_4xx(client, people, ticket, method, url,
                                                         body, status, field):
    headers = bearer(people["acme_admin"])
    url = url.replace("{ticket}", str(ticket.id))
    options = {"json": body} if isinstance(body, dict) else \
        {"data": body, "content_type": "application/json"} if body is not None else {}
    response = client.open(method, url, headers=headers, **options)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    error = response.json["error"]
    assert error["message"]
    if field:
        assert field in error["fields"], error
    db.session.expire_all()
    assert db.session.query(Ticket).count() == 1 and db.session.query(Message).count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"starts_on": "9999-12-31"}, "starts_on"),
     ({"starts_on": "2026-12-01", "ends_on": "9999-12-31"}, "ends_on"),
     ({"starts_on": "0001-01-01"}, "starts_on"),
     ({"starts_on": "2026-12-01T10:00:00"}, "starts_on")],
    ids=["start-9999", "end-9999", "year-1", "an-instant"],
)
def test_a_session_in_year_9999_is_a_422(client, people, body, field):
    item = workshops.workshop()
    response = client.open("POST", f"/api/v1/workshops/{item.id}/sessions", json=body,
                           headers=bearer(people["staff"]))
    assert response.status_code == 422 and field in response.json["error"]["fields"]


@pytest.mark.parametrize(("start", "end"), [("2026-11-02", "9999-12-31"),
                                            ("9999-12-20", "9999-12-31")],
                         ids=["end-9999", "both-9999"])
def test_an_engagement_in_year_9999_is_a_422(client, people, start, end):
    response = client.open("POST", "/api/v1/outbriefs", headers=bearer(people["staff"]), json={
        "organization": "acme", "title": "調査", "engagement_start": start,
        "engagement_end": end})
    assert response.status_code == 422, response.json
    assert set(response.json["error"]["fields"]) & {"engagement_start", "engagement_end"}


def test_refusals_speak_the_users_language(client, people):
    body = {"kind": "question", "subject": "s" * 201, "body": "b"}
    ja = client.open("POST", "/api/v1/tickets", json=body, headers=bearer(people["acme_contact"]))
    en = client.open("POST", "/api/v1/tickets", json=body,
                     headers=bearer(people["kitsune_contact"]))  # locale "en"
    assert "200" in ja.json["error"]["fields"]["subject"]
    assert ja.json["error"]["fields"]["subject"] != en.json["error"]["fields"]["subject"]
    assert en.json["error"]["fields"]["subject"] == "At most 200 characters."
    nested = client.open("POST", "/api/v1/workshops", headers=bearer(people["staff"]), json={
        "title_ja": "t", "title_en": "t", "days": 1, "pricing": "dedicated", "price": 1,
        "capacity": 1, "min_attendees": 0, "late_fee_tiers": [{"days_before": 3, "percent": 101}]})
    assert nested.status_code == 422
    assert nested.json["error"]["fields"]["late_fee_tiers"].startswith("[0].percent: ")


def test_a_method_the_path_does_not_have_is_405_with_allow(client, people, ticket):
    response = client.open("DELETE", f"/api/v1/tickets/{ticket.id}",
                           headers=bearer(people["staff"]))
    assert response.status_code == 405
    assert {"GET", "PATCH"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.json["error"]["code"] == "method_not_allowed"


def test_the_description_lists_each_operations_answers(client):
    spec = client.get("/api/v1/openapi.json").json
    post = spec["paths"]["/api/v1/tickets/{ticket_id}/messages"]["post"]
    assert post["parameters"][0] == {
        "name": "ticket_id", "in": "path", "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        "description": post["parameters"][0]["description"]}
    # 409: a reply to a closed request files a follow-up, whose overage fee must be accepted
    assert set(post["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "422",
                                      "429"}
    body = spec["components"]["schemas"]["NewTicket"]
    assert body["additionalProperties"] is False
    assert body["properties"]["subject"]["maxLength"] == 200
    assert body["properties"]["acknowledge_overage"]["type"] == "boolean"


def test_valid_calls_keep_working(client, people):
    """The strictness costs nothing to a correct client: the same body files as before."""
    response = client.open("POST", "/api/v1/tickets", headers=bearer(people["acme_contact"]),
                           data=json.dumps({"kind": "incident", "severity": "B", "subject": "件名",
                                            "body": "本文", "acknowledge_overage": False}),
                           content_type="text/plain")  # the content type is not checked
    assert response.status_code == 201 and response.json["severity"] == "B"


# --- the pages -------------------------------------------------------------------------------


def test_a_nul_in_the_login_form_is_a_field_error_with_the_form_filled(client, people):
    response = client.post("/login", {"email": "contact@acme.example\x00", "password": "x\x00"})
    assert response.status_code == 422
    assert "contact@acme.example" in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "page", "data"), [
    ("/requests/{ticket}/messages", "/requests/{ticket}", {"body": f"{KEPT}\x00"}),
    ("/profile", "/profile", {"name": f"{KEPT}\x00", "locale": "ja"}),
    ("/requests/new", "/requests/new", {"kind": "question", "subject": f"{KEPT}\x00",
                                        "body": "本文", "service": ""}),
], ids=["reply", "profile-name", "new-request"])
def test_a_nul_in_a_form_field_is_a_422_with_the_form_filled(client, people, ticket, url, page,
                                                              data):
    client.login("contact@acme.example")
    url, page = (value.replace("{ticket}", str(ticket.id)) for value in (url, page))
    response = client.post(url, data, csrf_from=page)
    assert response.status_code == 422
    assert KEPT in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Message).count() == 0
    assert db.session.query(Ticket).count() == 1


@pytest.mark.parametrize(("url", "status"), [
    ("/requests?status=%00", 404),
    ("/requests?q=%00", 404),
    ("/requests/2147483648", 404),
    ("/requests/" + "9" * 5000, 404),
    ("/requests?page=" + "9" * 30, 200),  # the list clamps its page, as it always did
    ("/usage?month=9999-12", 200),  # the page falls back to this month
    ("/usage?month=2026-12%0A", 200),
    ("/workshops/sessions/2147483648", 404),
], ids=lambda value: None)
def test_pages_answer_hostile_addresses_without_a_5xx(client, people, url, status):
    client.login("admin@acme.example")
    assert client.get(url).status_code == status


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "2026-12%0A", "2026-12%0D%0AX:%20y",
                                   "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-12"],
                         ids=["year-0", "year-9999", "newline", "header-injection", "full-width"])
def test_the_billing_csv_refuses_a_month_it_cannot_name(client, people, month):
    client.login(people["staff"].email)
    response = client.get(f"/backoffice/billing.csv?month={month}")
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers


def test_staff_pages_refuse_ids_beyond_the_database(client, people, ticket):
    client.login(people["staff"].email)
    assert client.get("/backoffice/queue?organization=99999999999&assignee=2147483648"
                      ).status_code == 200
    base = f"/requests/{ticket.id}"
    assert client.post(f"{base}/assign", {"assignee": "99999999999"}, csrf_from=base
                       ).status_code == 404


def test_a_session_in_year_9999_is_refused_on_the_page_with_the_form_filled(client, people):
    item = workshops.workshop()
    client.login(people["staff"].email)
    page = f"/backoffice/workshops/{item.id}"
    response = client.post(f"{page}/sessions", {"starts_on": "9999-12-31"}, csrf_from=page)
    assert response.status_code == 422
    assert "9999-12-31" in response.get_data(as_text=True)


def test_an_engagement_in_year_9999_is_refused_on_the_page_with_the_form_filled(client, people):
    client.login(people["staff"].email)
    response = client.post("/backoffice/outbriefs", {
        "organization": str(people["acme"].id), "kind": "incident_response", "title": KEPT,
        "engagement_start": "2026-11-02", "engagement_end": "9999-12-31", "summary": "",
        "recommendations": "", "findings-0-title": "", "findings-0-risk": "high",
        "findings-0-detail": ""}, csrf_from="/backoffice/outbriefs/new")
    assert response.status_code == 422
    assert KEPT in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/requests\r\nSet-Cookie: x=1", "/requests\n", "/requests\r",
                                    "/\x00requests"], ids=["crlf", "lf", "cr", "nul"])
def test_a_control_character_in_next_goes_to_the_dashboard(client, people, target):
    from urllib.parse import quote

    response = client.post(f"/login?next={quote(target)}",
                           {"email": "contact@acme.example", "password": factories.PASSWORD})
    if "\x00" in target:  # a NUL in a page's query names no page (portal/web, before_request)
        assert response.status_code == 404
        client.login("contact@acme.example")
    else:
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/dashboard")
    switched = client.post("/language", {"lang": "en", "next": target}, csrf_from="/dashboard")
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith("/dashboard")


def test_a_session_starting_on_a_plain_day_is_still_accepted(client, people):
    """Valid input keeps working: a session next month is scheduled as before."""
    item = workshops.workshop()
    response = client.open("POST", f"/api/v1/workshops/{item.id}/sessions",
                           json={"starts_on": date(2026, 12, 15).isoformat()},
                           headers=bearer(people["staff"]))
    assert response.status_code == 201 and response.json["ends_on"] == "2026-12-16"
