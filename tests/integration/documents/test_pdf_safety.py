"""PDF safety: typed text prints as text, WeasyPrint fetches only the portal's static files, the
template gets plain values, and a missing Japanese font is said clearly instead of printed."""
from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from weasyprint import HTML

from portal.documents import pdf, printing
from portal.documents.plan import service_plan_context
from tests import factories
from tests.integration.documents.helpers import FindingInput, flat, make_outbrief, pdf_text

HOSTILE = '<img src="file:///etc/passwd">'
NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def test_hostile_text_in_a_finding_prints_as_text_and_fetches_nothing(app, people):
    finding = FindingInput(f"侵入経路 {HOSTILE}", "high", f"詳細 {HOSTILE} <script>x()</script>")
    outbrief = make_outbrief(people["acme"], people["staff"], findings=(finding,),
                             title=f"調査 {HOSTILE}", recommendations=(HOSTILE,))
    fetcher = pdf.PortalURLFetcher(app.static_folder)
    with app.test_request_context():
        content = printing.outbrief_pdf(outbrief, '<b>"Mallory"</b>', NOW, "ja", fetcher)
    assert fetcher.refused == [] and fetcher.served == []  # nothing was even attempted
    text = pdf_text(content)
    assert text.count(HOSTILE) >= 4
    assert "<script>x()</script>" in text
    assert flat('<b>"Mallory"</b> がダウンロード') in flat(text)


def test_the_fetcher_serves_static_files_and_refuses_everything_else(app):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    urls = ["file:///etc/passwd", f"http://127.0.0.1:{port}/x.png",
            f"https://127.0.0.1:{port}/x.css", "/static/%2e%2e/%2e%2e/etc/passwd",
            "data:image/png;base64," + "A" * 20_000, "ftp://127.0.0.1/x.png"]
    html = "".join(f'<img src="{url}">' for url in urls) + '<img src="/static/favicon.svg">'
    fetcher = pdf.PortalURLFetcher(app.static_folder)
    HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf()
    assert fetcher.served == [f"{pdf.BASE_URL}static/favicon.svg"]
    assert len(fetcher.refused) == len(urls)
    assert fetcher.refused[0] == "file:///etc/passwd"
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody knocked on the local server
    listener.close()


def _primitive(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, str) and _primitive(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_primitive(item) for item in value)
    return value is None or type(value) in (str, int, bool)


def test_templates_get_plain_values_only(app, people):
    outbrief = make_outbrief(people["acme"], people["staff"])
    with app.test_request_context():
        assert _primitive(printing.outbrief_context(outbrief, "山田", NOW, "ja"))
        assert _primitive(service_plan_context(people["acme"], "山田", NOW, "en"))


@pytest.fixture()
def no_fonts(tmp_path, monkeypatch):
    """A fontconfig that knows no font at all, as on a server without the Japanese font."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                      f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    pdf.forget_font_check()
    yield
    monkeypatch.delenv("FONTCONFIG_FILE")
    pdf.forget_font_check()


def test_the_japanese_font_is_found(app):
    pdf.forget_font_check()
    assert pdf.japanese_font_available() is True


def test_without_the_japanese_font_the_portal_says_so(client, people, no_fonts):
    assert pdf.japanese_font_available() is False
    outbrief = make_outbrief(people["acme"], people["staff"])
    client.login("admin@acme.example")
    response = client.get(f"/documents/outbrief-{outbrief.id}.pdf?lang=ja")
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "日本語フォント (IPAexGothic) がインストールされておらず" in response.get_data(as_text=True)
    plan = client.get("/documents/service-plan.pdf?lang=en")
    assert plan.status_code == 503


def test_without_the_japanese_font_the_api_answers_503(client, people, no_fonts):
    from portal.accounts import services

    token, _row = services.issue_token(people["acme_admin"], "t")
    from portal.db import db

    db.session.commit()
    response = client.get("/api/v1/documents/service-plan.pdf?lang=ja",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "font_missing"
    assert "IPAexGothic" in response.json["error"]["message"]
