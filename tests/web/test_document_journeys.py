"""A customer administrator downloads an outbrief and the service plan from the browser."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

PASSWORD = "madoguchi-demo"


@pytest.fixture(scope="module")
def documents_server(live_server, _app):
    """The live server with the demo documents (idempotent: they are added once)."""
    from portal.documents.demo import seed_documents

    with _app.app_context():
        seed_documents()
    return live_server


def _pdf_text(download) -> str:
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_administrator_downloads_an_outbrief_and_the_plan(documents_server, ja_page):
    page = ja_page
    page.goto(f"{documents_server}/login")
    page.get_by_label("メールアドレス").fill("admin@acme.example")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("link", name="ドキュメント").click()
    expect(page.get_by_role("heading", name="ドキュメント", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="インシデント対応調査 アウトブリーフ")
    expect(row).to_be_visible()
    expect(page.get_by_text("Azure 環境セキュリティ アセスメント")).to_have_count(0)  # a draft

    with page.expect_download() as outbrief_info:
        row.get_by_role("link", name="日本語").click()
    download = outbrief_info.value
    assert download.suggested_filename.endswith("-ja.pdf")
    text = _pdf_text(download)
    assert "株式会社アクメ商事" in text and "機密" in text
    assert "山田花子がダウンロード" in text and "ページ1/1" in text

    with page.expect_download() as english_info:
        row.get_by_role("link", name="英語").click()
    english = _pdf_text(english_info.value)
    assert "Summaryofkeyfindings" in english and "株式会社アクメ商事" in english
    assert "Downloadedby山田花子at" in english and "Page1/1" in english

    for label, heading in (("PDF をダウンロード (日本語)", "サービス実施計画"),
                           ("PDF をダウンロード (英語)", "Serviceplan")):
        with page.expect_download() as plan_info:
            page.get_by_role("link", name=label).click()
        plan = _pdf_text(plan_info.value)
        assert heading in plan and "株式会社アクメ商事" in plan and "機密" in plan
        assert "山田花子" in plan

    page.reload()
    record = page.get_by_test_id("download-record")
    expect(record.get_by_role("row").filter(has_text="山田 花子")).to_have_count(4)
    expect(record).to_contain_text("サービス実施計画")
