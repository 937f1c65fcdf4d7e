"""The filing receipt: the requester gets one mail at once, whatever the channel, with the
number, kind, severity, the first-response target in the organisation's zone, and whether the
request is within the allowance or overage (through a real SMTP server)."""
from __future__ import annotations

import pytest

from portal.core import clock
from portal.notifications.services import drain_outbox
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _receipts(smtp_server, to="contact@acme.example"):
    drain_outbox()
    return [m for m in smtp_server.messages if m["To"] == to
            and ("受け付けました" in m["Subject"] or "is received" in m["Subject"])]


def test_the_web_form_sends_the_requester_a_receipt_with_the_target_in_the_org_zone(
        client, people, smtp_server):
    clock.travel_to(jst(2026, 11, 20, 16, 30))  # Friday; Monday 23 November is a holiday
    client.login("contact@acme.example")
    filed = client.post("/requests/new", {
        "service": "", "kind": "incident", "severity": "B", "subject": "メールが送信できない",
        "body": "朝から送信エラーになります。"}, csrf_from="/requests/new")
    assert filed.status_code == 302
    [receipt] = _receipts(smtp_server)
    assert receipt["Subject"] == "[ACME-1] 依頼 ACME-1 を受け付けました：メールが送信できない"
    text = receipt.get_content()
    assert "番号: ACME-1" in text
    assert "種別: インシデント" in text.replace("：", ": ")
    assert "深刻度 B" in text
    assert "初回回答期限: 2026年11月24日 10:30 JST" in text
    assert "月間の受付件数内：5 件中 1 件目です。" in text


def test_the_api_receipt_reads_english_for_an_english_contact_and_says_overage(
        client, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    fox = people["kitsune_contact"]  # reads English
    for number in range(5):
        file_request(fox, subject=f"質問 {number}")
    drain_outbox()
    smtp_server.messages.clear()
    answer = client.open("POST", "/api/v1/tickets", headers=bearer(fox), json={
        "kind": "question", "subject": "Sixth question", "body": "How?",
        "acknowledge_overage": True})
    assert answer.status_code == 201, answer.json
    [receipt] = _receipts(smtp_server, to="contact@kitsune.example")
    text = receipt.get_content()
    assert receipt["Subject"] == "[KITSUNE-6] Request KITSUNE-6 is received: Sixth question"
    assert "First response due: Nov 17, 2026, 10:00 AM JST" in text
    assert "Overage: request 6 of the month, billed at" in text


def test_staff_filing_for_a_customer_sends_no_receipt_to_staff(client, people, smtp_server):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    answer = client.open("POST", "/api/v1/tickets", headers=bearer(people["staff"]), json={
        "kind": "question", "subject": "電話で受けた質問", "body": "内容",
        "organization": "acme"})
    assert answer.status_code == 201
    drain_outbox()
    assert [m for m in smtp_server.messages if "受け付けました" in m["Subject"]] == []
