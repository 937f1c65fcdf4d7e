"""Defect 10 of issue 18: the English outbrief was mostly Japanese. An outbrief is written in
both languages (staff form and API), each PDF in its own; one left in Japanese only says so on
its English PDF. Read back from the PDFs' text."""
from __future__ import annotations

import pytest

from portal.accounts import services as accounts
from portal.db import db
from portal.documents.models import Outbrief
from tests import factories
from tests.integration.documents.helpers import flat, make_outbrief, pdf_text

ENGLISH_FORM = {
    "title_en": "Azure assessment", "summary_en": "An English summary.",
    "findings-0-title_en": "Public storage", "findings-0-detail_en": "Anonymous access is on.",
    "recommendations_en": "Turn anonymous access off\nSet up monitoring\n",
}


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _form(people, **changes):
    data = {
        "organization": str(people["acme"].id), "kind": "assessment",
        "title": "Azure アセスメント", "engagement_start": "2026-11-02",
        "engagement_end": "2026-11-06", "summary": "日本語の概要です。",
        "findings-0-title": "公開ストレージ", "findings-0-risk": "high",
        "findings-0-detail": "匿名アクセスが有効です。",
        "recommendations": "匿名アクセスを無効にする\n監視を設定する\n",
    }
    data.update(changes)
    return data


def _pdf(client, outbrief_id: int, lang: str) -> str:
    response = client.get(f"/documents/outbrief-{outbrief_id}.pdf?lang={lang}")
    assert response.status_code == 200
    return flat(pdf_text(response.data))


def test_staff_write_both_languages_and_each_pdf_reads_in_its_own(client, people):
    client.login("staff@provider.example")
    response = client.post("/backoffice/outbriefs", _form(people, **ENGLISH_FORM),
                           csrf_from="/backoffice/outbriefs/new")
    assert response.status_code == 302
    outbrief = db.session.query(Outbrief).one()
    client.post(f"/backoffice/outbriefs/{outbrief.id}/deliver", {},
                csrf_from=f"/backoffice/outbriefs/{outbrief.id}")
    client.logout()
    client.login("admin@acme.example")
    english = _pdf(client, outbrief.id, "en")
    for text in ("Azure assessment", "An English summary.", "Public storage",
                 "Anonymous access is on.", "Turn anonymous access off"):
        assert flat(text) in english
    assert "公開ストレージ" not in english and "日本語の概要" not in english
    assert "Japaneseonly" not in english
    japanese = _pdf(client, outbrief.id, "ja")
    assert "公開ストレージ" in japanese and "日本語の概要です。" in japanese
    assert "Publicstorage" not in japanese


def test_an_outbrief_in_japanese_only_says_so_on_its_english_pdf(client, people):
    outbrief = make_outbrief(people["acme"], people["staff"])
    client.login("admin@acme.example")
    english = _pdf(client, outbrief.id, "en")
    assert flat("This outbrief is written in Japanese only") in english
    assert "written in Japanese only" not in _pdf(client, outbrief.id, "ja")


def test_the_api_takes_the_english_version_and_keeps_single_language_bodies(client, people):
    token, _row = accounts.issue_token(people["staff"], "api")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"organization": "acme", "title": "API 調査", "engagement_start": "2026-11-02",
            "engagement_end": "2026-11-06", "summary": "概要",
            "findings": [{"title": "弱いパスワード", "risk": "high", "detail": "詳細"}],
            "recommendations": ["パスワードを変更する"]}
    single = client.raw_post("/api/v1/outbriefs", json=body, headers=headers)
    assert single.status_code == 201
    both = client.raw_post("/api/v1/outbriefs", headers=headers, json={
        **body, "title_en": "API investigation", "summary_en": "Summary",
        "findings": [{**body["findings"][0], "title_en": "Weak passwords", "detail_en": "Detail"}],
        "recommendations_en": ["Change the passwords"]})
    assert both.status_code == 201
    db.session.expire_all()
    made = db.session.get(Outbrief, both.json["outbrief_id"])
    assert (made.title_en, made.findings[0].title_en, made.recommendations_en) == (
        "API investigation", "Weak passwords", ["Change the passwords"])
    assert db.session.get(Outbrief, single.json["outbrief_id"]).title_en == ""
