"""Filing requests in the browser form and the API, and the deadline the customer sees."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import bearer, jst


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _new(client, **fields):
    data = {"service": "", "kind": "incident", "severity": "B", "subject": "メールが送信できない",
            "body": "朝から送信エラーになります。", "product": "Exchange Online"}
    data.update(fields)
    return client.post("/requests/new", data, csrf_from="/requests/new")


def test_incident_b_on_friday_afternoon_is_due_tuesday_morning(client, people):
    clock.travel_to(jst(2026, 11, 20, 16, 30))
    client.login("contact@acme.example")
    response = _new(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2026年11月24日 10:30 JST" in page
    assert "ACME-1" in page


@pytest.mark.parametrize(
    ("received", "kind", "severity", "azure", "due"),
    [
        (jst(2026, 11, 20, 16, 30), "incident", "B", False, jst(2026, 11, 24, 10, 30)),
        (jst(2026, 11, 20, 17, 0), "incident", "B", False, jst(2026, 11, 24, 11, 0)),
        (jst(2026, 11, 21, 3, 0), "incident", "1", False, jst(2026, 11, 21, 4, 0)),
        (jst(2026, 11, 21, 3, 0), "incident", "1", True, jst(2026, 11, 21, 3, 15)),
        (jst(2026, 11, 21, 3, 0), "incident", "A", False, jst(2026, 11, 21, 4, 0)),
        (jst(2026, 11, 19, 14, 0), "incident", "C", False, jst(2026, 11, 20, 10, 0)),
        (jst(2026, 12, 29, 16, 0), "question", None, False, jst(2027, 1, 5, 16, 0)),
    ],
    ids=["B-friday-1630", "B-friday-1700", "1-saturday-night", "1-azure-15min", "A-24x7",
         "C-spans-evening", "question-over-year-end"],
)
def test_api_answers_the_deadline_rules_md_gives(client, people, received, kind, severity, azure,
                                                 due):
    clock.travel_to(received)
    response = client.raw_post("/api/v1/tickets", headers=bearer(people["acme_contact"]), json={
        "kind": kind, "severity": severity, "azure_component": azure, "subject": "s", "body": "b"})
    assert response.status_code == 201, response.json
    assert response.json["response_due_at"] == due.isoformat()


def test_english_contact_sees_english_deadline(client, people):
    clock.travel_to(jst(2026, 11, 20, 16, 30))
    client.login("contact@kitsune.example")
    page = client.get(_new(client).headers["Location"]).get_data(as_text=True)
    assert "Nov 24, 2026, 10:30 AM JST" in page
    assert "First response deadline" in page


def test_missing_fields_keep_what_was_typed(client, people):
    client.login("contact@acme.example")
    response = _new(client, subject="", severity="", body="本文は残る")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "本文は残る" in page
    assert db.session.scalar(select(Ticket)) is None


def test_incident_without_severity_is_refused_clearly(client, people):
    client.login("contact@acme.example")
    response = _new(client, severity="")
    assert response.status_code == 422
    assert "インシデントの深刻度を選んでください" in response.get_data(as_text=True)


def test_severity_choice_explains_customer_duties_in_both_languages(client, people):
    client.login("contact@acme.example")
    ja = client.get("/requests/new").get_data(as_text=True)
    assert "無休体制で作業を続けるために適切な人的資源の確保" in ja
    client.logout()
    client.login("contact@kitsune.example")
    en = client.get("/requests/new").get_data(as_text=True)
    assert "Accurate contact information" in en or "contact information" in en


def test_numbers_are_per_organisation(client, people):
    from tests.helpers import file_request

    numbers = [file_request(people["acme_contact"]).number, file_request(people["acme_contact"]).number,
               file_request(people["kitsune_contact"]).number]
    assert numbers == ["ACME-1", "ACME-2", "KITSUNE-1"]


@pytest.mark.parametrize("body", [None, [], {"kind": "bug"}, {"kind": "incident", "subject": "s",
                                                               "body": "b", "severity": "Z"}],
                         ids=["no-json", "list", "unknown-kind", "unknown-severity"])
def test_api_bad_input_is_422_with_fields(client, people, body):
    response = client.raw_post("/api/v1/tickets", headers=bearer(people["acme_contact"]),
                               json=body)
    assert response.status_code == 422
    assert response.json["error"]["fields"]


def test_api_staff_file_for_an_organisation_not_counted(client, people):
    response = client.raw_post("/api/v1/tickets", headers=bearer(people["staff"]), json={
        "kind": "incident", "severity": "A", "subject": "監視アラート", "body": "CPU 100%",
        "organization": "acme"})
    assert response.status_code == 201
    assert (response.json["organization"]["slug"], response.json["rank"]) == ("acme", None)


def test_searching_a_quoted_number_finds_exactly_that_request(client, people):
    from tests.helpers import file_request

    for _ in range(10):
        file_request(people["acme_contact"], acknowledge_overage=True)
    client.login("contact@acme.example")
    page = client.get("/requests?q=acme-1").get_data(as_text=True)
    assert ">ACME-1<" in page and ">ACME-10<" not in page
    by_subject = client.get("/requests?q=操作方法").get_data(as_text=True)
    assert ">ACME-10<" in by_subject
