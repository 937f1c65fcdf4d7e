"""Notification settings per person (issue 18, Build): on the profile each person chooses which
switchable mails they get and the language of all their mails; required mails come anyway; the
header's language switch changes the pages only (defect 11)."""
from __future__ import annotations

import pytest

from portal.accounts.models import User
from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets import services
from tests import factories
from tests.helpers import file_request, jst

ALL_ON = {"locale": "ja", "mail_colleagues": "y", "mail_status": "y", "mail_maintenance": "y"}


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    found = factories.two_organizations()
    found["acme_other"] = factories.user("sato@acme.example", "contact", found["acme"],
                                         name="佐藤")
    return found


def _save(client, email: str, **changes) -> None:
    """Sign in as that person and save the profile's e-mail settings (a missing switch is off,
    as an unticked checkbox is)."""
    client.login(email)
    data = {key: value for key, value in {**ALL_ON, **changes}.items() if value is not None}
    saved = client.post("/profile/notifications", data, csrf_from="/profile")
    assert saved.status_code == 302
    client.logout()


def _mails(smtp_server) -> dict[str, list]:
    drain_outbox()
    found: dict[str, list] = {}
    for message in smtp_server.messages:
        found.setdefault(message["To"], []).append(message)
    smtp_server.messages.clear()
    return found


def test_who_switched_off_maintenance_mail_gets_none_when_staff_publish_a_notice(
        client, people, smtp_server):
    _save(client, "contact@acme.example", mail_maintenance=None)
    client.login("staff@provider.example")
    published = client.post("/backoffice/maintenance", {
        "title_ja": "基盤メンテナンス", "title_en": "Platform maintenance", "body_ja": "停止します",
        "body_en": "Service stops", "service": "Exchange Online",
        "starts_at": "2026-11-28T22:00", "ends_at": "2026-11-29T02:00"},
        csrf_from="/backoffice/maintenance")
    assert published.status_code == 302
    mails = _mails(smtp_server)
    assert "contact@acme.example" not in mails
    assert {"admin@acme.example", "sato@acme.example", "admin@kitsune.example",
            "contact@kitsune.example"} <= set(mails)
    client.logout()
    client.login("contact@acme.example")  # the notice is still on the pages for them
    assert "基盤メンテナンス" in client.get("/dashboard").get_data(as_text=True)


def test_a_switched_off_reply_mail_is_not_sent_while_a_required_one_still_is(
        client, people, smtp_server):
    _save(client, "admin@acme.example", mail_colleagues=None, mail_status=None,
          mail_maintenance=None)
    ticket = file_request(people["acme_contact"], subject="VPN が切断される")
    mails = _mails(smtp_server)
    assert "contact@acme.example" in mails  # the filing receipt
    client.login("contact@acme.example")
    client.post(f"/requests/{ticket.id}/watchers", {"email": "sato@acme.example"},
                csrf_from=f"/requests/{ticket.id}")
    client.logout()
    _mails(smtp_server)

    services.add_message(ticket, people["staff"], "ゲートウェイを再起動してください。")
    db.session.commit()
    mails = _mails(smtp_server)
    assert "admin@acme.example" not in mails  # switched off: a colleague's request
    assert {"contact@acme.example", "sato@acme.example"} <= set(mails)  # requester, watcher

    client.login("staff@provider.example")
    voided = client.post(f"/requests/{ticket.id}/void", {"reason": "ACME-1 と重複しています。"},
                         csrf_from=f"/requests/{ticket.id}")
    assert voided.status_code == 302
    mails = _mails(smtp_server)
    assert "無効としてクローズ" in mails["admin@acme.example"][0]["Subject"]  # required


def test_the_requester_may_switch_off_status_mails_but_never_the_replies(
        client, people, smtp_server):
    _save(client, "contact@acme.example", mail_colleagues=None, mail_status=None,
          mail_maintenance=None)
    _save(client, "admin@acme.example", mail_colleagues=None)
    ticket = file_request(people["acme_contact"])
    assert len(_mails(smtp_server)["contact@acme.example"]) == 1  # the receipt, all switches off
    services.change_status(ticket, people["staff"], "in_progress")
    db.session.commit()
    assert "contact@acme.example" not in _mails(smtp_server)
    services.add_message(ticket, people["staff"], "ログを送ってください。")
    db.session.commit()
    reply = _mails(smtp_server)["contact@acme.example"][0]
    assert "ログを送ってください。" in reply.get_content()


def test_the_profile_sets_the_language_of_the_next_mail(client, people, smtp_server):
    ticket = file_request(people["acme_contact"])
    _mails(smtp_server)
    client.login("contact@acme.example")
    saved = client.post("/profile/notifications", {**ALL_ON, "locale": "en"},
                        csrf_from="/profile")
    assert saved.status_code == 302
    assert "Your e-mail settings are saved." in client.get("/profile").get_data(as_text=True)
    services.add_message(ticket, people["staff"], "Please restart the gateway.")
    db.session.commit()
    mail = _mails(smtp_server)["contact@acme.example"][0]
    assert "Dear" in mail.get_content() and "様" not in mail.get_content()


def test_the_header_switch_leaves_the_language_of_the_mails(client, people, smtp_server):
    ticket = file_request(people["acme_contact"])
    _mails(smtp_server)
    client.login("contact@acme.example")
    client.post("/language", {"lang": "en", "next": "/profile"}, csrf_from="/dashboard")
    page = client.get("/profile").get_data(as_text=True)
    assert "E-mail notifications" in page  # the pages are in English now
    assert '<option selected value="ja">' in page  # the mails' language is still Japanese
    services.add_message(ticket, people["staff"], "ゲートウェイを再起動してください。")
    db.session.commit()
    mail = _mails(smtp_server)["contact@acme.example"][0]
    assert "様" in mail.get_content() and "Dear" not in mail.get_content()


def test_the_page_shows_the_switches_and_what_cannot_be_switched_off_in_both_languages(
        client, people):
    client.login("admin@acme.example")
    ja = client.get("/profile").get_data(as_text=True)
    assert "メール通知" in ja and "メンテナンスのお知らせ" in ja
    assert "組織のすべての依頼" in ja  # an administrator hears of the organisation's requests
    assert "受付確認" in ja  # the mails that always come
    for name in ("mail_colleagues", "mail_status", "mail_maintenance"):  # on by default
        assert f'checked id="{name}"' in ja or f'id="{name}" checked' in ja, name
    client.logout()
    client.login("contact@kitsune.example")  # saved language: English
    en = client.get("/profile").get_data(as_text=True)
    assert "E-mail notifications" in en and "Maintenance notices" in en
    assert "filing receipts" in en and "every request of your organisation" not in en


def test_staff_choose_the_language_only(client, people):
    client.login("staff@provider.example")
    page = client.get("/profile").get_data(as_text=True)
    assert 'id="mail-locale"' in page
    assert 'name="mail_maintenance"' not in page and "停止できません" in page
    saved = client.post("/profile/notifications", {"locale": "en"}, csrf_from="/profile")
    assert saved.status_code == 302
    db.session.expire_all()
    staff = db.session.get(User, people["staff"].id)
    assert staff.locale == "en" and staff.mail_status and staff.mail_colleagues


def test_an_unknown_language_is_refused_with_the_form_kept(client, people):
    client.login("contact@acme.example")
    refused = client.post("/profile/notifications", {"locale": "fr", "mail_status": "y"},
                          csrf_from="/profile")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="mail_status" checked' in page or 'checked id="mail_status"' in page
    assert 'id="mail_maintenance" checked' not in page  # as sent, not as saved
    db.session.expire_all()
    assert db.session.get(User, people["acme_contact"].id).mail_maintenance is True


def test_a_watcher_who_switched_off_colleagues_requests_is_not_copied(client, people, smtp_server):
    _save(client, "sato@acme.example", mail_colleagues=None)
    ticket = file_request(people["acme_contact"])
    client.login("contact@acme.example")
    client.post(f"/requests/{ticket.id}/watchers", {"email": "sato@acme.example"},
                csrf_from=f"/requests/{ticket.id}")
    client.logout()
    _mails(smtp_server)
    services.change_status(ticket, people["staff"], "waiting_for_customer")
    db.session.commit()
    mails = _mails(smtp_server)
    assert "sato@acme.example" not in mails
    assert {"contact@acme.example", "admin@acme.example"} <= set(mails)
