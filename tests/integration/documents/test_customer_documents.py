"""The customer's documents page: delivered outbriefs and the plan; accepting or declining."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.core import clock
from portal.db import db
from portal.documents import services
from portal.documents.models import Outbrief
from tests import factories
from tests.integration.documents.helpers import make_outbrief


@pytest.fixture()
def people(app):
    return factories.two_organizations()


@pytest.fixture()
def outbrief(people):
    return make_outbrief(people["acme"], people["staff"])


def test_the_list_shows_delivered_outbriefs_and_the_plan_only(client, people, outbrief):
    make_outbrief(people["acme"], people["staff"], deliver=False, title="まだ下書き")
    make_outbrief(people["kitsune"], people["staff"], title="北狐の調査")
    client.login("contact@acme.example")
    page = client.get("/documents").get_data(as_text=True)
    assert "侵害調査アウトブリーフ" in page
    assert "まだ下書き" not in page and "北狐の調査" not in page
    assert f"/documents/outbrief-{outbrief.id}.pdf?lang=en" in page
    assert "/documents/service-plan.pdf?lang=ja" in page
    assert "受け入れる" not in page  # only the administrator decides


def test_the_administrator_accepts_a_delivered_outbrief(client, people, outbrief):
    client.login("admin@acme.example")
    response = client.post(f"/documents/outbriefs/{outbrief.id}/accept", csrf_from="/documents")
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Outbrief, outbrief.id)
    assert (row.status, row.decided_by_id) == ("accepted", people["acme_admin"].id)
    assert row.decided_at is not None
    page = client.get("/documents").get_data(as_text=True)
    assert "受け入れ済み" in page and "受け入れる</button>" not in page


def test_declining_lapses_the_obligation(client, people):
    clock.travel_to(datetime(2026, 11, 12, 1, 0, tzinfo=UTC))
    outbrief = make_outbrief(people["acme"], people["staff"])
    client.login("admin@acme.example")
    client.post(f"/documents/outbriefs/{outbrief.id}/decline", csrf_from="/documents")
    clock.travel_to(datetime(2027, 1, 1, 1, 0, tzinfo=UTC))
    db.session.expire_all()
    row = db.session.get(Outbrief, outbrief.id)
    assert row.status == "declined"
    obligation = services.obligation(row)
    assert obligation.lapsed and not obligation.overdue


def test_a_decision_is_made_once(client, people, outbrief):
    client.login("admin@acme.example")
    client.post(f"/documents/outbriefs/{outbrief.id}/accept", csrf_from="/documents")
    again = client.post(f"/documents/outbriefs/{outbrief.id}/decline", csrf_from="/documents")
    assert again.status_code == 409
    assert "納入済みのアウトブリーフだけです" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Outbrief, outbrief.id).status == "accepted"


def test_who_may_decide(client, people, outbrief):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    client.login("contact@acme.example")
    assert client.post(f"/documents/outbriefs/{outbrief.id}/accept",
                       csrf_from="/documents").status_code == 403
    client.logout()
    client.login("admin@kitsune.example")
    assert client.post(f"/documents/outbriefs/{outbrief.id}/accept",
                       csrf_from="/documents").status_code == 404
    client.logout()
    client.login("admin@acme.example")
    assert client.post(f"/documents/outbriefs/{draft.id}/accept",
                       csrf_from="/documents").status_code == 404
    db.session.expire_all()
    assert db.session.get(Outbrief, outbrief.id).status == "delivered"


def test_the_navigation_leads_each_side_to_its_page(client, people):
    client.login("admin@acme.example")
    assert 'href="/documents"' in client.get("/dashboard").get_data(as_text=True)
    client.logout()
    client.login("staff@provider.example")
    assert 'href="/backoffice/outbriefs"' in client.get("/backoffice").get_data(as_text=True)
    assert client.get("/documents").status_code == 403
