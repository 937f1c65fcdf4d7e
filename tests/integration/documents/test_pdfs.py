"""Outbrief PDFs read back with pypdf: Japanese text, embedded fonts, notice, stamp, pages."""
from __future__ import annotations

import pytest

from portal.db import db
from portal.documents.models import DocumentDownload
from portal.seed_texts import CONFIDENTIALITY_NOTICE
from tests import factories
from tests.integration.documents.helpers import (
    FindingInput,
    flat,
    make_outbrief,
    page_count,
    pdf_text,
    unembedded_fonts,
)


@pytest.fixture()
def people(app):
    return factories.two_organizations()


@pytest.fixture()
def outbrief(people):
    return make_outbrief(people["acme"], people["staff"])


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response


def test_japanese_outbrief_pdf_reads_back(client, people, outbrief):
    client.login("admin@acme.example")
    response = _download(client, f"/documents/outbrief-{outbrief.id}.pdf?lang=ja")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="acme-outbrief-{outbrief.id}-ja.pdf"'
    text = pdf_text(response.data)
    for expected in ("株式会社アクメ", "機密", "侵害調査アウトブリーフ", "主要な調査結果の概要",
                     "リスクの評価", "管理者アカウントに多要素認証がない", "推奨事項",
                     "多要素認証を必須にしてください。", "2026年11月16日"):
        assert expected in text, expected
    assert "adminがダウンロード" in flat(text)  # the stamp names the reader (factories' name)
    assert "JST" in text and "ページ 1 / 1" in text
    assert unembedded_fonts(response.data) == []


def test_english_outbrief_pdf_has_both_notices_and_the_stamp(client, people, outbrief):
    client.login("admin@acme.example")
    text = pdf_text(_download(client, f"/documents/outbrief-{outbrief.id}.pdf?lang=en").data)
    assert "Summary of key findings" in text and "Risk assessment" in text
    assert "Downloaded by admin at" in text and "JST" in text
    assert "Page 1 / 1" in text
    assert flat(CONFIDENTIALITY_NOTICE["ja"]) in flat(text)
    assert flat(CONFIDENTIALITY_NOTICE["en"]) in flat(text)
    assert "株式会社アクメ" in text and "機密" in text


def test_every_page_carries_its_number_and_the_total(client, people):
    long = tuple(FindingInput(f"所見 {n}", "medium", "詳細な説明です。" * 60) for n in range(12))
    outbrief = make_outbrief(people["acme"], people["staff"], findings=long)
    client.login("contact@acme.example")
    content = _download(client, f"/documents/outbrief-{outbrief.id}.pdf?lang=en").data
    pages = page_count(content)
    assert pages >= 3
    text = pdf_text(content)
    for number in range(1, pages + 1):
        assert f"Page {number} / {pages}" in text
    assert text.count("機密 / Confidential") == pages
    assert text.count("Downloaded by contact at") == pages


def test_language_defaults_to_the_readers_and_bad_language_is_explained(client, people, outbrief):
    client.login("admin@acme.example")
    text = pdf_text(_download(client, f"/documents/outbrief-{outbrief.id}.pdf").data)
    assert "主要な調査結果の概要" in text
    response = client.get(f"/documents/outbrief-{outbrief.id}.pdf?lang=fr")
    assert response.status_code == 400
    assert "言語は ja または en を指定してください" in response.get_data(as_text=True)


def test_another_organisations_outbrief_is_404_and_not_recorded(client, people, outbrief):
    client.login("admin@kitsune.example")
    assert client.get(f"/documents/outbrief-{outbrief.id}.pdf?lang=ja").status_code == 404
    assert client.get(f"/documents/{outbrief.id}.pdf?lang=ja").status_code == 404
    assert client.get("/documents/outbrief-999999.pdf").status_code == 404
    assert client.get("/documents/../etc/passwd.pdf").status_code == 404
    assert db.session.query(DocumentDownload).count() == 0


def test_a_draft_is_invisible_to_customers_but_staff_preview_it_marked(client, people):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    client.login("admin@acme.example")
    assert client.get(f"/documents/outbrief-{draft.id}.pdf").status_code == 404
    client.logout()
    client.login("staff@provider.example")
    text = pdf_text(_download(client, f"/documents/outbrief-{draft.id}.pdf?lang=en").data)
    assert "DRAFT" in text and "Draft" in text


def test_every_download_is_recorded_with_who_when_and_language(client, people, outbrief):
    client.login("contact@acme.example")
    _download(client, f"/documents/outbrief-{outbrief.id}.pdf?lang=en")
    _download(client, "/documents/service-plan.pdf?lang=ja")
    db.session.expire_all()
    rows = db.session.query(DocumentDownload).order_by(DocumentDownload.id).all()
    assert [(r.user_id, r.organization_id, r.document_kind, r.outbrief_id, r.language)
            for r in rows] == [
        (people["acme_contact"].id, people["acme"].id, "outbrief", outbrief.id, "en"),
        (people["acme_contact"].id, people["acme"].id, "service_plan", None, "ja"),
    ]
    assert all(r.at is not None for r in rows)


def test_the_customer_administrator_sees_the_download_record_and_a_contact_does_not(
        client, other_client, people, outbrief):
    other_client.login("contact@acme.example")
    _download(other_client, f"/documents/outbrief-{outbrief.id}.pdf?lang=en")
    client.login("admin@acme.example")
    page = client.get("/documents").get_data(as_text=True)
    assert 'data-testid="download-record"' in page
    record = page.split('data-testid="download-record"')[1]
    assert "contact" in record and "侵害調査アウトブリーフ" in record and "English" in record
    contact_page = other_client.get("/documents").get_data(as_text=True)
    assert 'data-testid="download-record"' not in contact_page


def test_staff_see_the_download_on_the_outbrief_and_in_the_record(client, other_client, people,
                                                                   outbrief):
    other_client.login("admin@acme.example")
    _download(other_client, f"/documents/outbrief-{outbrief.id}.pdf?lang=ja")
    client.login("staff@provider.example")
    page = client.get(f"/backoffice/outbriefs/{outbrief.id}").get_data(as_text=True)
    assert "admin" in page.split('data-testid="download-record"')[1]
    record = client.get("/backoffice/outbriefs/downloads?organization=acme").get_data(as_text=True)
    assert "株式会社アクメ" in record and "日本語" in record
    kitsune = client.get("/backoffice/outbriefs/downloads?organization=kitsune").get_data(
        as_text=True)
    assert "まだダウンロードされていません" in kitsune
