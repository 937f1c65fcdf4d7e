"""Both languages: saved choice, explicit switch, Accept-Language, and a complete catalogue."""
from __future__ import annotations

import re
from pathlib import Path

from tests import factories

PO = Path(__file__).resolve().parents[3] / "translations" / "ja" / "LC_MESSAGES" / "messages.po"


def test_japanese_catalogue_is_complete_and_not_fuzzy():
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle)
    entries = [m for m in catalog if m.id]
    assert len(entries) > 100
    untranslated = [m.id for m in entries if not (m.string if isinstance(m.string, str)
                                                  else all(m.string))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_template_string_is_in_the_catalogue():
    """A string added to a template without re-extracting would show in English to Japanese users."""
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    root = PO.parents[3] / "templates"
    pattern = re.compile(r"""_\(\s*"([^"]+)"\s*[,)]""")
    missing = {text for path in root.rglob("*.*") for text in pattern.findall(path.read_text())
               if text not in known}
    assert missing == set()


def test_accept_language_english_shows_english(app, client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page


def test_default_is_japanese(app, client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ja">' in page and "ログイン" in page


def test_header_switch_is_for_this_session_and_leaves_the_mail_language(app, client):
    """Issue 18: the header's switch changed the account's mail language without a word."""
    people = factories.two_organizations()
    client.login("admin@acme.example")
    client.post("/language", {"lang": "en", "next": "/dashboard"}, csrf_from="/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Dashboard" in page and "Your e-mails stay in Japanese" in page
    from portal.db import db

    db.session.refresh(people["acme_admin"])
    assert people["acme_admin"].locale == "ja"
    other = type(client)(app.test_client())  # another browser: the account's own language
    other.login("admin@acme.example")
    assert '<html lang="ja">' in other.get("/dashboard").get_data(as_text=True)


def test_saved_choice_beats_accept_language(app, client):
    factories.two_organizations()
    client.login("contact@kitsune.example")  # saved locale: en
    page = client.get("/dashboard", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_dates_and_money_follow_the_language(app, client):
    factories.two_organizations()
    client.login("admin@acme.example")
    ja = client.get("/dashboard").get_data(as_text=True)
    assert "2026年1月1日" in ja and "￥20,000" in ja
    client.post("/language", {"lang": "en", "next": "/dashboard"}, csrf_from="/dashboard")
    en = client.get("/dashboard").get_data(as_text=True)
    assert "Jan 1, 2026" in en and "¥20,000" in en


def test_japanese_messages_use_japanese_punctuation(app, client):
    """Issue 18: "10 以上, 200 文字以内" (WTForms' own Japanese) and "対応が必要. お客様の対応"."""
    factories.two_organizations()
    client.login("admin@acme.example")
    page = client.post("/profile/password", {"current_password": factories.PASSWORD,
                                              "password": "short"}, csrf_from="/profile")
    text = page.get_data(as_text=True)
    assert "10 以上、200 文字以内" in text and "以上, " not in text
    form = client.get("/requests/new").get_data(as_text=True)
    assert "対応が必要。" in form and "対応が必要." not in form
