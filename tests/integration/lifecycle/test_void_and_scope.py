"""Staff decisions a customer must see and be told of (issue 18, defects 2, 5 and 7): a void
closes the request everywhere, out of scope speaks the seed's words and leaves the ranking."""
from __future__ import annotations

import re

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import bearer, file_request, jst

EXCLUSION_1_JA = "対象ソフトウェア以外の他のプログラム、ソフトウェアもしくはハードウェア機器等に関する対応"
EXCLUSION_1_EN = "Handling of programs, software or hardware other than the Target Software"


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    found = factories.two_organizations()
    found["acme_en"] = factories.user("en@acme.example", "contact", found["acme"], locale="en",
                                      name="Emma")
    return found


def _mails(smtp_server) -> dict[str, object]:
    drain_outbox()
    return {message["To"]: message for message in smtp_server.messages}


def test_a_void_closes_the_request_everywhere_and_tells_the_customer(
        client, people, smtp_server):
    ticket = file_request(people["acme_contact"], kind="incident", severity="B",
                          subject="VPN が切断される")
    drain_outbox()
    smtp_server.messages.clear()
    client.login("staff@provider.example")
    done = client.post(f"/requests/{ticket.id}/void", {"reason": "ACME-1 と重複しています。"},
                       csrf_from=f"/requests/{ticket.id}")
    assert done.status_code == 302
    db.session.expire_all()
    voided = db.session.get(Ticket, ticket.id)
    assert (voided.status, voided.voided, voided.rank) == ("closed", True, None)
    assert ticket.number not in client.get("/backoffice/queue").get_data(as_text=True)
    chart = client.get("/backoffice").get_data(as_text=True)
    assert re.search(r"<title id=\"sev-title\">[^<]*B: 0", chart)

    client.logout()
    client.login("contact@acme.example")
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "クローズ" in page and "無効としてクローズされました" in page
    assert "ACME-1 と重複しています。" in page
    assert "この依頼はクローズ済みです" in page  # a message now files a follow-up
    assert ticket.number not in client.get("/dashboard").get_data(as_text=True)
    mails = _mails(smtp_server)
    assert set(mails) == {"contact@acme.example", "admin@acme.example"}
    body = mails["admin@acme.example"].get_content()
    assert "無効としてクローズ" in mails["admin@acme.example"]["Subject"]
    assert "ACME-1 と重複しています。" in body


def test_a_void_mails_each_person_in_their_own_language(client, people, smtp_server):
    ticket = file_request(people["acme_en"])
    drain_outbox()
    smtp_server.messages.clear()
    answer = client.raw_post(f"/api/v1/tickets/{ticket.id}/void", headers=bearer(people["staff"]),
                             json={"reason": "Filed in error"})
    assert answer.status_code == 200 and answer.json["status"] == "closed"
    mails = _mails(smtp_server)
    assert "is void and closed" in mails["en@acme.example"]["Subject"]
    assert "無効としてクローズ" in mails["admin@acme.example"]["Subject"]


def test_out_of_scope_speaks_the_seed_and_leaves_the_ranking(client, people, smtp_server):
    first, second = file_request(people["acme_en"]), file_request(people["acme_contact"])
    drain_outbox()
    smtp_server.messages.clear()
    answer = client.raw_post(f"/api/v1/tickets/{first.id}/out-of-scope",
                             headers=bearer(people["staff"]),
                             json={"exclusion": 1, "reason": "Third-party database product"})
    assert answer.status_code == 200
    assert answer.json["rank"] is None and answer.json["counted"] is False
    assert answer.json["out_of_scope_exclusion"] == 1
    db.session.expire_all()
    assert db.session.get(Ticket, second.id).rank == 1  # moved up: never charged twice
    usage = client.get("/api/v1/usage", headers=bearer(people["acme_admin"])).json
    assert usage["counted"] == 1

    client.login("contact@acme.example")
    page = client.get(f"/requests/{first.id}").get_data(as_text=True)
    assert "customer_business_or_inhouse_systems" not in page
    assert "other_software_or_hardware" not in page
    assert EXCLUSION_1_JA in page and "Third-party database product" in page
    mails = _mails(smtp_server)
    assert EXCLUSION_1_EN in mails["en@acme.example"].get_content()
    assert EXCLUSION_1_JA in mails["admin@acme.example"].get_content()


def test_out_of_scope_refuses_an_unknown_item_and_customers(client, people):
    ticket = file_request(people["acme_contact"])
    staff = bearer(people["staff"])
    for body in ({"exclusion": 21, "reason": "x"}, {"exclusion": 0, "reason": "x"},
                 {"exclusion": 3}):
        assert client.raw_post(f"/api/v1/tickets/{ticket.id}/out-of-scope", headers=staff,
                               json=body).status_code == 422
    assert client.raw_post(f"/api/v1/tickets/{ticket.id}/out-of-scope",
                           headers=bearer(people["acme_admin"]),
                           json={"exclusion": 1, "reason": "x"}).status_code == 403


def test_the_customer_sees_each_decision_as_an_event_with_its_reason_in_english(
        client, people):
    ticket = file_request(people["acme_en"], kind="incident", severity="C")
    client.login("staff@provider.example")
    client.post(f"/requests/{ticket.id}/severity", {"severity": "B", "reason": "Production"},
                csrf_from=f"/requests/{ticket.id}")
    client.post(f"/requests/{ticket.id}/out-of-scope",
                {"exclusion": "other_software_or_hardware", "reason": "Another vendor's box"},
                csrf_from=f"/requests/{ticket.id}")
    client.logout()
    client.login("en@acme.example")
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    events = re.findall(r'data-testid="event">(.*?)</article>', page, re.S)
    assert len(events) == 2
    assert "changed from C to B" in events[0] and "Production" in events[0]
    assert EXCLUSION_1_EN in events[1] and "Another vendor&#39;s box" in events[1]
