"""The page frame is kept in memory in pieces (web.py): the main navigation per roles, language and
page, the header per language and person. Each person must still see exactly the links of their
own role, their own name and organisation, in their own language, with the page they are on
marked, and a header whose forms carry their own session's CSRF token and their own page."""
from __future__ import annotations

import re

import pytest

from tests import factories


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _nav(page) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', page.get_data(as_text=True), re.S).group(0)


def _current(nav: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)<', nav)


def test_each_role_keeps_its_own_links_whoever_viewed_first(client, other_client, people):
    client.login("admin@acme.example")  # customer administrator, Japanese
    admin_nav = _nav(client.get("/requests"))
    other_client.login("contact@acme.example")  # designated contact, Japanese, same page
    contact_nav = _nav(other_client.get("/requests"))
    assert "指定連絡先担当者" in admin_nav and "指定連絡先担当者" not in contact_nav
    assert "バックオフィス" not in admin_nav + contact_nav
    assert _current(admin_nav) == _current(contact_nav) == ["依頼"]

    other_client.logout()
    other_client.login("boss@provider.example")  # provider administrator
    staff_nav = _nav(other_client.get("/requests"))
    assert "バックオフィス" in staff_nav and "組織" in staff_nav
    assert "ダッシュボード" not in staff_nav and "指定連絡先担当者" not in staff_nav
    # the customer administrator's next page is still theirs
    assert _nav(client.get("/requests")) == admin_nav


def test_language_and_current_page_each_get_their_own_navigation(client, other_client, people):
    client.login("admin@kitsune.example")  # Japanese
    other_client.login("contact@kitsune.example")  # English
    assert "依頼" in _nav(client.get("/dashboard"))
    english = _nav(other_client.get("/dashboard"))
    assert "Requests" in english and "依頼" not in english
    assert _current(english) == ["Dashboard"]
    assert _current(_nav(other_client.get("/usage"))) == ["Usage"]


def test_two_pages_of_one_section_mark_their_own_link(client, people):
    client.login("staff@provider.example")
    assert _current(_nav(client.get("/backoffice/queue"))) == ["キュー"]
    assert _current(_nav(client.get("/backoffice"))) == ["バックオフィス"]


def _header(page) -> str:
    return re.search(r'<header class="site-header">.*?</header>', page.get_data(as_text=True),
                     re.S).group(0)


def _tokens(header: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', header))


def test_each_session_gets_its_own_csrf_token_in_a_kept_header(client, other_client, people):
    client.login("admin@acme.example")
    other_client.login("admin@acme.example")  # the same person in a second browser
    first, second = _header(client.get("/requests")), _header(other_client.get("/requests"))
    assert first.replace(next(iter(_tokens(first))), "") == \
        second.replace(next(iter(_tokens(second))), "")  # one kept header for both...
    assert len(_tokens(first)) == len(_tokens(second)) == 1 and _tokens(first) != _tokens(second)
    # ...and each one's forms work with its own token, not with the other session's
    token = next(iter(_tokens(second)))
    refused = client.raw_post("/language", data={"csrf_token": token, "lang": "en", "next": "/"})
    assert refused.status_code == 400
    moved = other_client.raw_post("/language", data={"csrf_token": token, "lang": "en",
                                                     "next": "/requests"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/requests")
    assert "English" not in _header(other_client.get("/requests"))  # now English: offers 日本語
    # the header's switch is this session's only (issue 18): the first browser stays Japanese
    assert "ログアウト" in _header(client.get("/requests"))


def test_the_language_switch_comes_back_to_the_page_it_was_on(client, people):
    client.login("contact@acme.example")
    header = _header(client.get('/requests?status=open&q=%22%3Cb%3E'))
    assert 'name="next" value="/requests?status=open&amp;q=%22%3Cb%3E"' in header
    assert 'name="next" value="/usage?"' in _header(client.get("/usage"))


def test_the_header_names_the_person_and_their_organisation_and_follows_a_rename(
        client, other_client, people):
    client.login("admin@acme.example")
    other_client.login("admin@kitsune.example")
    acme, kitsune = _header(client.get("/dashboard")), _header(other_client.get("/dashboard"))
    assert "株式会社アクメ" in acme and ">admin</a>" in acme and "北狐システムズ" not in acme
    assert "北狐システムズ" in kitsune
    saved = client.post("/profile", {"name": "山田 花子", "locale": "ja"}, csrf_from="/profile")
    assert saved.status_code == 302
    assert ">山田 花子</a>" in _header(client.get("/dashboard"))
    assert ">admin</a>" in _header(other_client.get("/dashboard"))  # the other admin, same page
