"""The thread: replies, internal notes, attachments, mail, and another organisation's 404."""
from __future__ import annotations

import io
import re

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    return factories.two_organizations()


@pytest.fixture()
def incident(people):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return file_request(people["kitsune_contact"], kind="incident", severity="B",
                        subject="VPN が切断される", body="10分ごとに切断されます。")


def _reply(client, ticket, body, internal=False, files=None):
    data = {"body": body}
    if internal:
        data["internal"] = "y"
    if files:
        data["attachments"] = files
    return client.post(f"/requests/{ticket.id}/messages", data, csrf_from=f"/requests/{ticket.id}",
                       content_type="multipart/form-data")


def test_staff_reply_is_the_first_response_and_mails_the_customer_in_english(
        client, people, incident, smtp_server):
    client.login("staff@provider.example")
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    assert _reply(client, incident, "Please send the VPN client log.").status_code == 302
    db.session.expire_all()
    ticket = db.session.get(Ticket, incident.id)
    assert ticket.first_response_at == jst(2026, 11, 24, 10, 0)
    assert ticket.response_met is True
    drain_outbox()
    to_contact = [m for m in smtp_server.messages if m["To"] == "contact@kitsune.example"
                  and "is received" not in m["Subject"]]  # after the filing receipt
    assert to_contact and to_contact[0]["Subject"].startswith("[KITSUNE-1] Reply to your request")
    to_admin = [m for m in smtp_server.messages if m["To"] == "admin@kitsune.example"]
    assert to_admin and "ご依頼 KITSUNE-1 への回答" in to_admin[0]["Subject"]


def test_late_first_response_is_recorded_as_missed(client, people, incident):
    client.login("staff@provider.example")
    clock.travel_to(jst(2026, 11, 24, 15, 0))
    _reply(client, incident, "遅くなりました。")
    db.session.expire_all()
    assert db.session.get(Ticket, incident.id).response_met is False


def test_internal_notes_never_reach_the_customer(client, other_client, people, incident,
                                                 smtp_server):
    client.login("staff@provider.example")
    _reply(client, incident, "社内メモ: 顧客の設定ミスの可能性", internal=True)
    assert "社内メモ" in client.get(f"/requests/{incident.id}").get_data(as_text=True)
    other_client.login("contact@kitsune.example")
    assert "社内メモ" not in other_client.get(f"/requests/{incident.id}").get_data(as_text=True)
    api = other_client.get(f"/api/v1/tickets/{incident.id}", headers=bearer(people["kitsune_contact"]))
    assert "社内メモ" not in api.get_data(as_text=True)
    drain_outbox()
    assert all("社内メモ" not in m.get_content() for m in smtp_server.messages
               if m["To"].endswith("kitsune.example"))
    db.session.expire_all()
    assert db.session.get(Ticket, incident.id).first_response_at is None


def test_customer_cannot_write_an_internal_note_through_the_api(client, people, incident):
    response = client.raw_post(f"/api/v1/tickets/{incident.id}/messages",
                               headers=bearer(people["kitsune_contact"]),
                               json={"body": "x", "internal": True})
    assert response.status_code == 403


def test_attachment_is_always_a_download_never_inline(client, people, incident):
    client.login("contact@kitsune.example")
    svg = (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
           "画面.svg")
    _reply(client, incident, "ログを添付します。", files=[svg])
    page = client.get(f"/requests/{incident.id}").get_data(as_text=True)
    link = re.search(r'href="(/requests/\d+/attachments/\d+)">画面.svg', page).group(1)
    download = client.get(link)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.data.startswith(b"<svg")


def test_too_large_attachment_is_refused_and_the_message_kept(client, people, incident, app):
    app.config["MAX_UPLOAD_MB"] = 0.3  # small enough that the test upload stays in memory
    try:
        client.login("contact@kitsune.example")
        big = (io.BytesIO(b"x" * 320_000), "huge.log")
        response = _reply(client, incident, "大きなログ", files=[big])
    finally:
        app.config["MAX_UPLOAD_MB"] = 20
    assert response.status_code == 422
    assert "0.3 MB" in response.get_data(as_text=True)
    assert "大きなログ" in response.get_data(as_text=True)


def test_another_organisations_request_is_404_by_every_route(client, people, incident):
    client.login("contact@acme.example")
    base = f"/requests/{incident.id}"
    for url in (base, f"{base}/attachments/1"):
        assert client.get(url).status_code == 404
    for url, data in ((f"{base}/messages", {"body": "x"}), (f"{base}/status", {"status": "closed"}),
                      (f"{base}/severity", {"severity": "A", "reason": "x"}), (f"{base}/rca", {})):
        assert client.post(url, data, csrf_from="/requests").status_code == 404
    headers = bearer(people["acme_contact"])
    assert client.get(f"/api/v1/tickets/{incident.id}", headers=headers).status_code == 404
    assert client.raw_post(f"/api/v1/tickets/{incident.id}/messages", headers=headers,
                           json={"body": "x"}).status_code == 404
    listed = client.get("/api/v1/tickets", headers=headers).json
    assert listed["total"] == 0


def test_staff_severity_change_recomputes_from_original_receipt(client, people, incident):
    clock.travel_to(jst(2026, 11, 24, 11, 0))
    response = client.open("PATCH", f"/api/v1/tickets/{incident.id}",
                           headers=bearer(people["staff"]), json={"severity": "C", "reason": "影響は軽微"})
    assert response.status_code == 200
    assert response.json["response_due_at"] == jst(2026, 11, 24, 13, 30).isoformat()
    trail = client.get(f"/requests/{incident.id}")  # anonymous: redirected, trail only for staff
    assert trail.status_code == 302


def test_severity_change_without_reason_is_refused(client, people, incident):
    response = client.open("PATCH", f"/api/v1/tickets/{incident.id}",
                           headers=bearer(people["staff"]), json={"severity": "A"})
    assert response.status_code == 422
    assert response.json["error"]["fields"]["reason"]


def test_customer_cannot_patch_tickets(client, people, incident):
    response = client.open("PATCH", f"/api/v1/tickets/{incident.id}",
                           headers=bearer(people["kitsune_contact"]), json={"status": "closed"})
    assert response.status_code == 403


def test_customer_asks_for_severity_change_and_rca_while_open(client, people, incident):
    client.login("contact@kitsune.example")
    base = f"/requests/{incident.id}"
    client.post(f"{base}/severity", {"severity": "A", "reason": "Sales stopped"}, csrf_from=base)
    client.post(f"{base}/rca", {}, csrf_from=base)
    page = client.get(base).get_data(as_text=True)
    assert "[B → A] Sales stopped" in page
    assert "Requested" in page
    client.post(f"{base}/status", {"status": "closed"}, csrf_from=base)
    db.session.expire_all()
    assert db.session.get(Ticket, incident.id).status == "closed"
    again = client.post(f"{base}/severity", {"severity": "C", "reason": "x"}, csrf_from=base)
    assert again.status_code == 422


def test_a_root_cause_analysis_is_for_incidents_only(client, people):
    """Issue 18: an RCA could be requested on a Q&A."""
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    question = file_request(people["kitsune_contact"])
    client.login("contact@kitsune.example")
    base = f"/requests/{question.id}"
    assert "Request a root-cause analysis" not in client.get(base).get_data(as_text=True)
    refused = client.post(f"{base}/rca", {}, csrf_from=base)
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Ticket, question.id).rca_requested_at is None


def test_list_and_detail_keep_a_constant_number_of_queries(app, client, people, count_queries):
    client.login("contact@acme.example")

    def measure(url):
        app.extensions["fragments"].clear()  # a full render each time, not a cached one
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    first = file_request(people["acme_contact"])
    for _ in range(9):
        file_request(people["acme_contact"], acknowledge_overage=True)
    small = (measure("/requests"), measure(f"/requests/{first.id}"))
    from portal.tickets import services

    for index in range(290):
        services.file_ticket(people["acme_contact"], kind="question", subject=f"s{index}",
                             body="b", acknowledge_overage=True)
        if index % 50 == 0:
            db.session.commit()
    db.session.commit()
    for index in range(30):
        services.add_message(first, people["staff"], f"reply {index}")
    db.session.commit()
    large = (measure("/requests"), measure(f"/requests/{first.id}"))
    assert large == small


def test_time_left_and_overdue_come_from_the_stored_deadline(client, people, incident):
    """The provider closes the desk for the rest of the day after the request came in: the
    deadline the request was given (11:30) stays, and the page counts from it, not from a
    deadline recomputed on today's calendar (which would say there is time left tomorrow)."""
    from datetime import date

    from portal.accounts import services as accounts

    accounts.add_closure_day(date(2026, 11, 24), "臨時休業", people["staff_admin"])
    db.session.commit()
    clock.travel_to(jst(2026, 11, 24, 12, 0))
    client.login("staff@provider.example")
    for url in (f"/requests/{incident.id}", "/backoffice/queue"):
        page = client.get(url).get_data(as_text=True)
        assert "30分 超過" in page, url
        assert "11:30" in page, url


def test_duty_texts_name_the_portals_provider(app, client, people):
    """Issue 18: customers read "Microsoft" and "ＪＢＣＣ" where the provider is the portal's own."""
    provider = app.config["PROVIDER_NAME"]
    client.login("contact@kitsune.example")  # English
    english = client.get("/requests/new").get_data(as_text=True)
    assert "Microsoft&#39;s" not in english and "Microsoft's" not in english
    assert f"match {provider}&#39;s effort" in english or f"match {provider}'s effort" in english
    client.logout()
    client.login("contact@acme.example")  # Japanese
    japanese = client.get("/requests/new").get_data(as_text=True)
    assert "マイクロソフトの" not in japanese and f"{provider}の対応に合わせて" in japanese
