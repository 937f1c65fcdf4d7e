"""Staff write outbriefs, keep them as drafts, edit and deliver them; overdue ones are flagged."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.core import clock
from portal.db import db
from portal.documents.models import Outbrief
from portal.notifications.services import drain_outbox
from tests import factories
from tests.integration.documents.helpers import make_outbrief

NEW = "/backoffice/outbriefs/new"


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _form(people, **changes):
    data = {
        "organization": str(people["acme"].id), "kind": "assessment",
        "title": "Azure アセスメント", "engagement_start": "2026-11-02",
        "engagement_end": "2026-11-06", "summary": "概要です。",
        "findings-0-title": "公開ストレージ", "findings-0-risk": "high",
        "findings-0-detail": "匿名アクセスが有効です。",
        "findings-1-title": "", "findings-1-risk": "low", "findings-1-detail": "",
        "recommendations": "匿名アクセスを無効にする\n\n監視を設定する\n",
    }
    data.update(changes)
    return data


def test_staff_write_a_draft_then_edit_it(client, people):
    client.login("staff@provider.example")
    response = client.post("/backoffice/outbriefs", _form(people), csrf_from=NEW)
    assert response.status_code == 302
    outbrief = db.session.query(Outbrief).one()
    assert (outbrief.status, outbrief.kind, outbrief.title) == ("draft", "assessment", "Azure アセスメント")
    assert [(f.title, f.risk) for f in outbrief.findings] == [("公開ストレージ", "high")]
    assert outbrief.recommendations == ["匿名アクセスを無効にする", "監視を設定する"]
    edit_url = f"/backoffice/outbriefs/{outbrief.id}"
    page = client.get(edit_url).get_data(as_text=True)
    assert 'value="公開ストレージ"' in page and "お客様に納入する" in page
    client.post(edit_url, _form(people, title="改訂版", **{"findings-1-title": "古い TLS",
                                                             "findings-1-risk": "medium"}),
                csrf_from=edit_url)
    db.session.expire_all()
    outbrief = db.session.get(Outbrief, outbrief.id)
    assert outbrief.title == "改訂版"
    assert [(f.title, f.risk) for f in outbrief.findings] == [("公開ストレージ", "high"),
                                                             ("古い TLS", "medium")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"engagement_end": "2026-11-01"}, "業務の最終日は初日以降の日付にしてください。"),
        ({"title": ""}, "このフィールドは必須です"),
        ({"findings-0-risk": "catastrophic"}, "各調査結果にリスク (高・中・低) を指定してください。"),
        ({"engagement_start": "not-a-date"}, "Not a valid date value|日付|有効な日付"),
    ],
    ids=["end-before-start", "no-title", "unknown-risk", "bad-date"],
)
def test_bad_input_is_explained_and_the_form_kept(client, people, changes, message):
    client.login("staff@provider.example")
    response = client.post("/backoffice/outbriefs", _form(people, **changes), csrf_from=NEW)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert any(option in page for option in message.split("|"))
    assert "匿名アクセスが有効です。" in page  # what was typed is kept
    assert db.session.query(Outbrief).count() == 0


def test_delivering_needs_a_complete_outbrief(client, people):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False, summary="",
                          findings=(), recommendations=())
    client.login("staff@provider.example")
    url = f"/backoffice/outbriefs/{draft.id}"
    response = client.post(f"{url}/deliver", csrf_from=url)
    assert response.status_code == 409
    assert "主要な調査結果の概要" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Outbrief, draft.id).status == "draft"


def test_delivery_tells_the_customer_administrators(client, people, smtp_server):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    client.login("staff@provider.example")
    url = f"/backoffice/outbriefs/{draft.id}"
    assert client.post(f"{url}/deliver", csrf_from=url).status_code == 302
    db.session.expire_all()
    outbrief = db.session.get(Outbrief, draft.id)
    assert outbrief.status == "delivered" and outbrief.delivered_at is not None
    drain_outbox()
    [mail] = smtp_server.messages
    assert mail["To"] == "admin@acme.example"
    assert "侵害調査アウトブリーフ" in mail["Subject"]
    assert "https://portal.example.jp/documents" in mail.get_content()
    page = client.get(url).get_data(as_text=True)
    assert "お客様に納入する" not in page and "下書きとして保存" not in page
    edited = client.post(url, _form(people), csrf_from="/backoffice/outbriefs")
    assert edited.status_code == 409


def test_overdue_drafts_are_flagged(client, people):
    clock.travel_to(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))  # due 2026-11-16 (JST)
    late = make_outbrief(people["acme"], people["staff"], deliver=False, title="遅れている調査")
    on_time = make_outbrief(people["acme"], people["staff"], deliver=False, title="間に合う調査",
                            engagement_end=datetime(2026, 11, 15).date())
    client.login("staff@provider.example")
    page = client.get("/backoffice/outbriefs").get_data(as_text=True)
    assert "1 件のアウトブリーフが納入期限を過ぎています。" in page
    late_row = page.split(f'data-testid="outbrief-{late.id}"')[1].split("</tr>")[0]
    on_time_row = page.split(f'data-testid="outbrief-{on_time.id}"')[1].split("</tr>")[0]
    assert "納入期限を 4 日超過" in late_row and "超過" not in on_time_row
    detail = client.get(f"/backoffice/outbriefs/{late.id}").get_data(as_text=True)
    assert 'data-testid="overdue"' in detail


def test_customers_cannot_reach_the_back_office(client, people):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    client.login("admin@acme.example")
    assert client.get("/backoffice/outbriefs").status_code == 403
    assert client.get(f"/backoffice/outbriefs/{draft.id}").status_code == 403
    assert client.post(f"/backoffice/outbriefs/{draft.id}/deliver",
                       csrf_from="/documents").status_code == 403
    db.session.expire_all()
    assert db.session.get(Outbrief, draft.id).status == "draft"
