"""An invited contact is "invited, pending" until they accept, and the administrator can send
the invitation again (issue 18)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import AuditEvent, User
from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from tests import factories
from tests.helpers import jst

LINK_RE = re.compile(r"https://portal\.example\.jp(/password/\w+/\S+)")


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    return factories.two_organizations()


def _status_of(page: str, email: str) -> str:
    row = next(row for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL) if email in row)
    cell = re.search(r'data-testid="person-status">(.*?)</td>', row, re.DOTALL).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def _invite(client):
    data = {"name": "新人 太郎", "email": "new@acme.example", "role": "contact", "locale": "ja"}
    assert client.post("/people/invite", data, csrf_from="/people").status_code == 302
    return db.session.scalar(select(User).where(User.email == "new@acme.example"))


def _links_to_new(smtp_server) -> list[str]:
    drain_outbox()
    return [LINK_RE.search(m.get_content()).group(1) for m in smtp_server.messages
            if m["To"] == "new@acme.example"]


def test_an_invited_contact_is_pending_until_they_set_a_password(client, people, smtp_server):
    client.login("admin@acme.example")
    _invite(client)
    page = client.get("/people").get_data(as_text=True)
    assert _status_of(page, "new@acme.example").startswith("招待中")
    assert _status_of(page, "contact@acme.example") == "有効"
    assert "招待を再送" in page
    link = _links_to_new(smtp_server)[0]
    client.logout()
    assert client.post(link, {"password": "a brand new secret"}, csrf_from=link).status_code == 302
    client.login("admin@acme.example")
    page = client.get("/people").get_data(as_text=True)
    assert _status_of(page, "new@acme.example") == "有効"
    assert "招待を再送" not in page


def test_a_person_who_signed_in_without_a_password_is_no_longer_pending(client, people):
    """Single sign-on: the person never sets a password; signing in accepts the invitation."""
    from portal.accounts.services import record

    client.login("admin@acme.example")
    person = _invite(client)
    record(person, "user.signed_in", person, person.organization_id, method="sso")
    db.session.commit()
    assert _status_of(client.get("/people").get_data(as_text=True), "new@acme.example") == "有効"


def test_the_administrator_resends_the_invitation_with_a_new_link(client, people, smtp_server):
    client.login("admin@acme.example")
    person = _invite(client)
    clock.travel_to(jst(2026, 11, 24, 10, 1))
    response = client.post(f"/people/{person.id}/invitation", {}, csrf_from="/people")
    assert response.status_code == 302 and response.headers["Location"].endswith("/people")
    assert "招待をもう一度送りました" in client.get("/people").get_data(as_text=True)
    first, second = _links_to_new(smtp_server)
    assert first != second
    resent = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "contact.invitation_resent")).all()
    assert [(e.actor_id, e.target_id) for e in resent] == [(people["acme_admin"].id, person.id)]
    client.logout()
    assert client.post(second, {"password": "a brand new secret"}, csrf_from=second
                       ).status_code == 302
    assert client.get(first).status_code == 410  # the password is set: every link is spent


def test_an_invitation_is_sent_again_at_most_once_a_minute(client, people, smtp_server):
    client.login("admin@acme.example")
    person = _invite(client)
    clock.travel_to(jst(2026, 11, 24, 10, 0, 30))
    refused = client.post(f"/people/{person.id}/invitation", {}, csrf_from="/people")
    assert refused.status_code == 302  # told on the list, nothing sent
    assert "1分以内" in client.get("/people").get_data(as_text=True)
    assert len(_links_to_new(smtp_server)) == 1
    clock.travel_to(jst(2026, 11, 24, 10, 1, 0) + timedelta(seconds=1))
    client.post(f"/people/{person.id}/invitation", {}, csrf_from="/people")
    assert len(_links_to_new(smtp_server)) == 2


def test_only_a_pending_invitation_of_ones_own_organisation_is_sent_again(client, people,
                                                                          smtp_server):
    client.login("admin@acme.example")
    accepted = people["acme_contact"]
    client.post(f"/people/{accepted.id}/invitation", {}, csrf_from="/people")
    assert "既に招待を受け入れています" in client.get("/people").get_data(as_text=True)
    other = people["kitsune_contact"]
    assert client.post(f"/people/{other.id}/invitation", {},
                       csrf_from="/people").status_code == 404
    drain_outbox()
    assert not [m for m in smtp_server.messages if m["To"] in (accepted.email, other.email)]
    client.logout()
    client.login("contact@acme.example")
    assert client.post(f"/people/{accepted.id}/invitation", {},
                       csrf_from="/profile").status_code == 403


def test_the_people_page_reads_in_english(client, people):
    person_admin = people["acme_admin"]
    person_admin.locale = "en"
    db.session.commit()
    client.login("admin@acme.example")
    _invite(client)
    page = client.get("/people").get_data(as_text=True)
    assert _status_of(page, "new@acme.example").startswith("Invited, pending")
    assert "Resend the invitation" in page


def test_an_expired_invitation_says_so_and_a_new_one_works(client, people, smtp_server):
    """The link is valid for 24 hours: the list says when the invitation went out and that its
    link has expired; the one sent again sets the password."""
    client.login("admin@acme.example")
    person = _invite(client)
    page = client.get("/people").get_data(as_text=True)
    assert "2026年11月24日 10:00 JST に招待を送信" in _status_of(page, "new@acme.example")
    assert "有効期限が切れています" not in page
    clock.travel_to(jst(2026, 11, 25, 11, 0))
    client.login("admin@acme.example")  # signed in again after the idle limit
    page = client.get("/people").get_data(as_text=True)
    assert "有効期限が切れています" in _status_of(page, "new@acme.example")
    client.post(f"/people/{person.id}/invitation", {}, csrf_from="/people")
    expired, fresh = _links_to_new(smtp_server)
    client.logout()
    assert client.get(expired).status_code == 410
    assert client.post(fresh, {"password": "a brand new secret"}, csrf_from=fresh
                       ).status_code == 302
