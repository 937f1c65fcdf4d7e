"""Staff keep the catalogue and sessions, and cancel a session: no fee, everyone is told."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.accounts.models import AuditEvent
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.workshops import services
from portal.workshops.models import Booking, Workshop, WorkshopSession
from tests.integration.workshops import helpers as h

FORM = {
    "title_ja": "Entra ID 入門", "title_en": "Entra ID basics", "description_ja": "入門編",
    "description_en": "Basics", "days": "2", "delivery": "onsite", "pricing": "per_attendee",
    "price": "80000", "capacity": "12", "min_attendees": "3", "late_fee_tiers": "13=50, 3=100",
}


def _create(client, **changes):
    return client.post("/backoffice/workshops/", {**FORM, **changes},
                       csrf_from="/backoffice/workshops/")


def test_staff_add_a_workshop_with_tiers(client, people):
    client.login("staff@provider.example")
    response = _create(client)
    assert response.status_code == 302
    workshop = db.session.scalars(select(Workshop)).one()
    assert (workshop.title_en, workshop.days, workshop.delivery) == ("Entra ID basics", 2, "onsite")
    assert workshop.late_fee_tiers == [{"days_before": 3, "percent": 100},
                                       {"days_before": 13, "percent": 50}]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="3=100, 13=50"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"late_fee_tiers": "13=101"}, "0 から 100"),
        ({"late_fee_tiers": "14=50"}, "0 から 13"),
        ({"late_fee_tiers": "5=50, 5=80"}, "0 から 13"),
        ({"late_fee_tiers": "thirteen"}, "13=50, 3=100"),
        ({"min_attendees": "20"}, "定員を超える"),
        ({"title_en": ""}, "必須です"),
        ({"price": "-1"}, "0"),
    ],
    ids=["tier-above-100", "tier-14-days", "tier-repeated", "tier-unreadable",
         "minimum-above-capacity", "missing-english-title", "negative-price"],
)
def test_bad_workshop_is_refused_and_kept(client, people, changes, message):
    client.login("staff@provider.example")
    response = _create(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Entra ID 入門"' in page
    assert db.session.scalar(select(Workshop.id)) is None


def test_staff_edit_a_workshop(client, people):
    workshop = h.workshop()
    client.login("staff@provider.example")
    url = f"/backoffice/workshops/{workshop.id}"
    assert client.post(url, {**FORM, "price": "90000"}, csrf_from=url).status_code == 302
    assert h.reload(Workshop, workshop.id).price == 90_000
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "workshop.updated"


def test_staff_schedule_a_session_and_refuse_the_past(client, people):
    workshop = h.workshop()
    client.login("staff@provider.example")
    url = f"/backoffice/workshops/{workshop.id}"
    response = client.post(f"{url}/sessions", {"starts_on": "2026-12-10"}, csrf_from=url)
    assert response.status_code == 302
    session = db.session.scalars(select(WorkshopSession)).one()
    assert (session.starts_on, session.ends_on, session.capacity) == (
        date(2026, 12, 10), date(2026, 12, 11), 10)
    assert "最少催行人数未満" in client.get(url).get_data(as_text=True)  # 0 booked, minimum 2
    past = client.post(f"{url}/sessions", {"starts_on": "2026-10-01"}, csrf_from=url)
    assert past.status_code == 422 and "今日より後" in past.get_data(as_text=True)
    backwards = client.post(f"{url}/sessions", {"starts_on": "2026-12-10", "ends_on": "2026-12-01"},
                            csrf_from=url)
    assert backwards.status_code == 422


def test_archive_and_delete(client, people):
    used, unused = h.workshop(), h.workshop(title_ja="未使用", title_en="Unused")
    h.session(used)
    client.login("staff@provider.example")
    page = "/backoffice/workshops/"
    assert client.post(f"{page}{used.id}/delete", csrf_from=page).status_code == 302
    assert h.reload(Workshop, used.id) is not None  # has sessions: not deleted
    client.post(f"{page}{used.id}/archive", csrf_from=page)
    assert h.reload(Workshop, used.id).archived is True
    client.post(f"{page}{unused.id}/delete", csrf_from=page)
    assert h.reload(Workshop, unused.id) is None


@pytest.mark.parametrize("email", ["admin@acme.example", "contact@acme.example"],
                         ids=["customer-admin", "contact"])
def test_customers_cannot_reach_the_back_office(client, people, email):
    workshop = h.workshop()
    client.login(email)
    assert client.get("/backoffice/workshops/").status_code == 403
    assert client.get(f"/backoffice/workshops/{workshop.id}").status_code == 403
    assert _create(client).status_code in (400, 403)  # no page to take a token from is fine too


def test_provider_cancels_a_session_free_and_tells_everyone(client, people, smtp_server):
    session = h.session(h.workshop())
    acme = h.book(people["acme_admin"], session)
    kitsune = h.book(people["kitsune_admin"], session, ("Guest", "guest@kitsune.example"))
    client.login("staff@provider.example")
    url = f"/backoffice/workshops/sessions/{session.id}"
    response = client.post(f"{url}/cancel", {"reason": "below_minimum", "note": "ご迷惑をおかけします"},
                           csrf_from=url)
    assert response.status_code == 302
    for booking_id in (acme.id, kitsune.id):
        booking = h.booking(booking_id)
        assert (booking.status, booking.fee_charged, booking.cancelled_by_provider) == (
            "cancelled", 0, True)
    assert h.reload(WorkshopSession, session.id).status == "cancelled"
    drain_outbox()
    told = {m["To"]: m for m in smtp_server.messages if "開催中止" in m["Subject"]}
    assert set(told) == {"admin@acme.example", "taro@acme.example", "hanako@acme.example",
                         "admin@kitsune.example", "guest@kitsune.example"}
    body = told["admin@acme.example"].get_body(("plain",)).get_content()
    assert "最少催行人数" in body and "ご迷惑をおかけします" in body
    assert services.fees_total(people["acme"].id, "2026-11") == 0


def test_provider_cancellation_blocks_new_bookings(client, people):
    session = h.session(h.workshop())
    client.login("staff@provider.example")
    url = f"/backoffice/workshops/sessions/{session.id}"
    client.post(f"{url}/cancel", {"reason": "no_staff"}, csrf_from=url)
    again = client.post(f"{url}/cancel", {"reason": "no_staff"}, csrf_from=url)
    assert again.status_code == 409
    client.logout()
    client.login("admin@acme.example")
    book = f"/workshops/sessions/{session.id}/book"
    response = client.post(book, {"attendees-0-name": "A", "attendees-0-email": "a@acme.example"},
                           csrf_from="/workshops/")
    assert response.status_code == 409
    assert db.session.scalar(select(Booking.id)) is None
