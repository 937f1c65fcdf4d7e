"""Watchers (CC): the requester or a customer administrator copies colleagues of the same
organisation, on the page and through the API; they get the requester's mails; another
organisation's address is refused exactly like an unknown one (issue 18, rules.md)."""
from __future__ import annotations

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets import services
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    found = factories.two_organizations()
    found["acme_en"] = factories.user("emma@acme.example", "contact", found["acme"], locale="en",
                                      name="Emma")
    found["acme_other"] = factories.user("sato@acme.example", "contact", found["acme"],
                                         name="佐藤")
    return found


def test_the_requester_copies_a_colleague_who_then_gets_the_replies(
        client, people, smtp_server):
    ticket = file_request(people["acme_contact"], subject="VPN が切断される")
    client.login("contact@acme.example")
    added = client.post(f"/requests/{ticket.id}/watchers", {"email": "Emma@ACME.example"},
                        csrf_from=f"/requests/{ticket.id}")
    assert added.status_code == 302
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "emma@acme.example" in page and "Emma さんをこの依頼のメールの CC に追加しました" in page
    drain_outbox()
    smtp_server.messages.clear()
    services.add_message(ticket, people["staff"], "Please restart the gateway.")
    db.session.commit()
    drain_outbox()
    to = {message["To"]: message for message in smtp_server.messages}
    assert {"contact@acme.example", "emma@acme.example"} <= set(to)
    assert "Please restart the gateway." in to["emma@acme.example"].get_content()
    assert "Dear Emma," in to["emma@acme.example"].get_content()  # in her own language


def test_another_organisations_address_is_refused_like_an_unknown_one(client, people):
    ticket = file_request(people["acme_contact"])
    headers = bearer(people["acme_contact"])
    url = f"/api/v1/tickets/{ticket.id}/watchers"
    other = client.raw_post(url, headers=headers, json={"email": "admin@kitsune.example"})
    unknown = client.raw_post(url, headers=headers, json={"email": "nobody@acme.example"})
    assert other.status_code == unknown.status_code == 422
    strip = lambda answer: {k: v for k, v in answer.json.items() if k != "request_id"}  # noqa: E731
    assert strip(other) == strip(unknown)
    assert client.get(url, headers=headers).json == {"items": []}


def test_the_api_adds_lists_and_removes_watchers(client, people):
    ticket = file_request(people["acme_contact"])
    url = f"/api/v1/tickets/{ticket.id}/watchers"
    admin = bearer(people["acme_admin"])
    added = client.raw_post(url, headers=admin, json={"email": "sato@acme.example"})
    assert added.status_code == 201
    assert [item["name"] for item in added.json["items"]] == ["佐藤"]
    user_id = added.json["items"][0]["user_id"]
    # a colleague who is neither the requester nor an administrator may not change the list
    assert client.open("DELETE", f"{url}/{user_id}",
                       headers=bearer(people["acme_en"])).status_code == 403
    removed = client.open("DELETE", f"{url}/{user_id}", headers=admin)
    assert removed.status_code == 200 and removed.json == {"items": []}
    assert client.open("DELETE", f"{url}/{user_id}", headers=admin).status_code == 404


def test_the_page_refuses_a_stranger_with_the_form_filled(client, people):
    ticket = file_request(people["acme_contact"])
    client.login("admin@acme.example")
    refused = client.post(f"/requests/{ticket.id}/watchers", {"email": "contact@kitsune.example"},
                          csrf_from=f"/requests/{ticket.id}")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "このメールアドレスの有効な利用者はこの組織にいません" in page
    assert 'value="contact@kitsune.example"' in page
