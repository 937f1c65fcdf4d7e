"""A customer's reply to a resolved request reopens it; to a closed one it files a linked
follow-up, counted like any new request (issue 18, defect 3) — on the page, in the API and by
mail, which files replies through the same service."""
from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.mailin import intake
from portal.tickets import services
from portal.tickets.models import Message, Ticket
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def _with_status(people, status: str, **fields) -> Ticket:
    ticket = file_request(people["acme_contact"], subject="VPN が切断される", **fields)
    services.add_message(ticket, people["staff"], "設定を変更しました。")
    services.change_status(ticket, people["staff"], status)
    db.session.commit()
    return ticket


def _reply(client, ticket, body, **extra):
    return client.post(f"/requests/{ticket.id}/messages", {"body": body, **extra},
                       csrf_from=f"/requests/{ticket.id}", content_type="multipart/form-data")


def _fresh(ticket_id: int) -> Ticket:
    db.session.expire_all()
    return db.session.get(Ticket, ticket_id)


def test_a_reply_to_a_resolved_request_reopens_it_without_counting_it_again(client, people):
    ticket = _with_status(people, "resolved")
    client.login("contact@acme.example")
    assert "ここからメッセージを送ると依頼が再開されます" in client.get(
        f"/requests/{ticket.id}").get_data(as_text=True)
    assert _reply(client, ticket, "まだ切断されます。").status_code == 302
    reopened = _fresh(ticket.id)
    assert (reopened.status, reopened.rank) == ("in_progress", 1)
    assert db.session.scalar(select(Ticket.id).where(Ticket.id != ticket.id)) is None
    client.logout()
    client.login("staff@provider.example")
    assert ticket.number in client.get("/backoffice/queue").get_data(as_text=True)


def test_the_reopen_button_reopens_a_resolved_request(client, people):
    ticket = _with_status(people, "resolved")
    client.login("contact@acme.example")
    assert 'data-testid="reopen"' in client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert client.post(f"/requests/{ticket.id}/reopen",
                       csrf_from=f"/requests/{ticket.id}").status_code == 302
    assert _fresh(ticket.id).status == "in_progress"
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "依頼が再開されました。" in page and 'data-testid="reopen"' not in page


def test_a_reply_to_a_closed_request_files_a_linked_follow_up(client, people):
    ticket = _with_status(people, "closed")
    client.login("contact@acme.example")
    done = _reply(client, ticket, "同じ症状が再発しました。")
    follow_up = db.session.scalar(select(Ticket).where(Ticket.follow_up_of_id == ticket.id))
    assert follow_up is not None and follow_up.number == "ACME-2" and follow_up.rank == 2
    assert done.headers["Location"].endswith(f"/requests/{follow_up.id}")
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "ACME-1 の続きとして新しい依頼 ACME-2 で受け付けました" in page
    assert 'data-testid="follow-up-of"' in page and "同じ症状が再発しました。" in page
    assert _fresh(ticket.id).status == "closed"
    old_page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "新しい依頼 ACME-2 として受け付けました" in old_page


def test_an_overage_follow_up_asks_for_the_fee_first(client, people):
    ticket = _with_status(people, "closed")
    for n in range(4):
        file_request(people["acme_contact"], subject=f"別件 {n}")
    client.login("contact@acme.example")
    asked = _reply(client, ticket, "再発しました。")
    assert asked.status_code == 409 and "再発しました。" in asked.get_data(as_text=True)
    assert db.session.scalar(select(Ticket).where(Ticket.follow_up_of_id == ticket.id)) is None
    done = _reply(client, ticket, "再発しました。", acknowledge_overage="y")
    assert done.status_code == 302
    follow_up = db.session.scalar(select(Ticket).where(Ticket.follow_up_of_id == ticket.id))
    assert (follow_up.rank, follow_up.overage) == (6, True)


def test_the_api_reopens_and_follows_up(client, people):
    resolved, closed = _with_status(people, "resolved"), _with_status(people, "closed")
    headers = bearer(people["acme_contact"])
    answer = client.raw_post(f"/api/v1/tickets/{resolved.id}/messages", headers=headers,
                             json={"body": "まだです。"})
    assert answer.status_code == 201 and answer.json["follow_up"] is None
    assert _fresh(resolved.id).status == "in_progress"
    answer = client.raw_post(f"/api/v1/tickets/{closed.id}/messages", headers=headers,
                             json={"body": "再発しました。"})
    assert answer.status_code == 201 and answer.json["id"] is None
    follow_up = client.get(f"/api/v1/tickets/{answer.json['follow_up']['id']}",
                           headers=headers).json
    assert follow_up["follow_up_of"]["number"] == closed.number


def _mail(subject: str, body: str, message_id: str) -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"] = "contact@acme.example", "support@provider.example"
    mail["Subject"], mail["Message-ID"] = subject, message_id
    mail.set_content(body)
    return mail.as_bytes()


def test_a_mailed_reply_reopens_a_resolved_request_and_follows_up_a_closed_one(people):
    resolved = _with_status(people, "resolved")
    outcome = intake.receive(_mail(f"Re: [{resolved.number}] VPN", "まだ切断されます。",
                                   "<r1@acme.example>"))
    assert outcome.line() == f"added to {resolved.number}"
    assert _fresh(resolved.id).status == "in_progress"
    services.change_status(_fresh(resolved.id), people["staff"], "closed")
    db.session.commit()
    outcome = intake.receive(_mail(f"Re: [{resolved.number}] VPN", "また再発しました。",
                                   "<r2@acme.example>"))
    follow_up = db.session.scalar(select(Ticket).where(Ticket.follow_up_of_id == resolved.id))
    assert outcome.line() == f"filed {follow_up.number}"
    assert db.session.scalar(select(Message.id).where(
        Message.ticket_id == resolved.id, Message.body.contains("また再発"))) is None
