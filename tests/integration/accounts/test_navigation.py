"""The main navigation is rendered once per roles, language and page and then kept in memory
(web.py:_main_nav): each person must still see exactly the links of their own role, in their own
language, with the page they are on marked."""
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
