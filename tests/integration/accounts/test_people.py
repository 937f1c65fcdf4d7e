"""The customer administrator's designated contacts, and the mail that goes with each change."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import AuditEvent, User
from portal.core.addresses import canonical_address
from portal.db import db
from portal.notifications.services import drain_outbox
from tests import factories

LINK_RE = re.compile(r"https://portal\.example\.jp(/password/\w+/\S+)")


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _invite(client, **fields):
    data = {"name": "新人 太郎", "email": "new@acme.example", "role": "contact", "locale": "ja"}
    data.update(fields)
    return client.post("/people/invite", data, csrf_from="/people")


def test_invited_contact_gets_mail_sets_password_and_signs_in(client, people, smtp_server):
    client.login("admin@acme.example")
    assert _invite(client).status_code == 302
    assert drain_outbox() >= 1
    invitation = next(m for m in smtp_server.messages if m["To"] == "new@acme.example")
    assert "ポータル" in invitation["Subject"]
    link = LINK_RE.search(invitation.get_content()).group(1)
    client.logout()
    page = client.post(link, {"password": "a brand new secret"}, csrf_from=link)
    assert page.status_code == 302
    assert client.login("new@acme.example", "a brand new secret").status_code == 302


def test_set_password_link_works_only_once(client, people, smtp_server):
    client.login("admin@acme.example")
    _invite(client)
    drain_outbox()
    link = LINK_RE.search(smtp_server.messages[0].get_content()).group(1)
    client.logout()
    client.post(link, {"password": "first secret 123"}, csrf_from=link)
    again = client.get(link)
    assert again.status_code == 410
    assert "このリンクは無効です" in again.get_data(as_text=True)


def test_provider_staff_are_told_of_every_contact_change(client, people, smtp_server):
    client.login("admin@acme.example")
    _invite(client)
    drain_outbox()
    to_staff = [m for m in smtp_server.messages if m["To"] in
                ("staff@provider.example", "boss@provider.example")]
    assert len(to_staff) == 2
    assert "株式会社アクメ" in to_staff[0]["Subject"]
    assert "new@acme.example" in to_staff[0].get_content()


def test_bad_invitation_keeps_what_was_typed(client, people):
    client.login("admin@acme.example")
    response = _invite(client, email="not-an-address", name="入力 保持")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "有効なメールアドレス" in page
    assert 'value="入力 保持"' in page and 'value="not-an-address"' in page


def test_a_colleague_already_registered_is_refused_clearly(client, people):
    client.login("admin@acme.example")
    response = _invite(client, email="contact@acme.example")
    assert response.status_code == 422
    assert "既に登録されています" in response.get_data(as_text=True)


TRIED_TO_ADD = ("Madoguchi サポート ポータルへのアドレス追加のお知らせ",
                "Someone tried to add your address to the Madoguchi support portal")


def _answer(client, email):
    response = _invite(client, email=email, name="同じ 名前")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return (response.status_code, response.headers["Location"],
            re.findall(r'class="flash flash-\w+">(.*?)</p>', page))


@pytest.mark.parametrize("taken", ["contact@kitsune.example", "staff@provider.example",
                                   "ＣＯＮＴＡＣＴ＠kitsune.example"],
                         ids=["another organisation", "provider staff", "full-width"])
def test_an_address_registered_elsewhere_is_answered_as_a_new_one(client, people, smtp_server,
                                                                  taken):
    client.login("admin@acme.example")
    assert _answer(client, taken) == _answer(client, "brand-new@acme.example")
    holder = db.session.scalar(select(User).where(User.email == canonical_address(taken)))
    assert holder.organization_id != people["acme"].id  # nothing was moved or created
    assert db.session.scalar(select(func.count(User.id)).where(User.name == "同じ 名前")) == 1
    drain_outbox()
    told = [m for m in smtp_server.messages
            if m["To"] == holder.email and m["Subject"] in TRIED_TO_ADD]
    assert len(told) == 1 and "株式会社アクメ" in told[0].get_content()


def test_an_address_that_cannot_be_mailed_is_refused_at_entry(client, people):
    client.login("admin@acme.example")
    response = _invite(client, email="jürgen@kitsune.example", name="入力 保持")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "@ より前に半角英数字・記号以外の文字を含むアドレスにはメールを配信できません" in page
    assert 'value="入力 保持"' in page and 'value="jürgen@kitsune.example"' in page
    assert db.session.scalar(select(User).where(User.name == "入力 保持")) is None


def test_role_change_and_deactivation_are_recorded(client, people):
    client.login("admin@acme.example")
    contact = people["acme_contact"]
    client.post(f"/people/{contact.id}/role", {"role": "customer_admin"}, csrf_from="/people")
    client.post(f"/people/{contact.id}/active", {"active": "0"}, csrf_from="/people")
    db.session.expire_all()
    assert db.session.get(User, contact.id).role == "customer_admin"
    assert db.session.get(User, contact.id).active is False
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == contact.id)))
    assert {"contact.role_changed", "contact.deactivated"} <= actions


def test_last_administrator_cannot_be_removed(client, people):
    client.login("admin@acme.example")
    admin = people["acme_admin"]
    response = client.post(f"/people/{admin.id}/active", {"active": "0"}, csrf_from="/people")
    assert response.status_code == 302  # told on the list: a reload repeats nothing
    assert "少なくとも1人" in client.get("/people").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active is True


def test_another_organisations_person_answers_404(client, people):
    client.login("admin@acme.example")
    other = people["kitsune_contact"]
    assert client.post(f"/people/{other.id}/active", {"active": "0"},
                       csrf_from="/people").status_code == 404
    assert client.post(f"/people/{other.id}/role", {"role": "contact"},
                       csrf_from="/people").status_code == 404
    page = client.get("/people").get_data(as_text=True)
    assert "contact@kitsune.example" not in page


def test_contacts_cannot_manage_people(client, people):
    client.login("contact@acme.example")
    assert client.get("/people").status_code == 403


def test_customers_cannot_open_provider_administration(client, people):
    client.login("admin@acme.example")
    for url in ("/admin/organizations", "/admin/staff", "/admin/closures",
                f"/admin/organizations/{people['kitsune'].id}"):
        assert client.get(url).status_code == 403
