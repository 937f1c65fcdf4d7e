"""Every element id is unique on every page a person reaches from the main navigation (and the
pages of a request): a label, an error's aria-describedby and a script must find the one element
meant, and two forms sharing `id="name"` once let a token's name rename the person."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from tests import factories
from tests.helpers import file_request


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(name for name, count in parser.ids.items() if count > 1)


def _main_pages(client) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/profile").get_data(as_text=True),
                    re.S).group(0)
    return sorted(set(re.findall(r'href="(/[^"#?]*)"', nav)))


@pytest.mark.parametrize("email", ["admin@acme.example", "contact@acme.example",
                                   "staff@provider.example", "boss@provider.example"])
def test_no_page_of_any_role_repeats_an_element_id(client, app, email):
    people = factories.two_organizations()
    ticket = file_request(people["acme_contact"], kind="incident", severity="B")
    client.login(email)
    pages = [*_main_pages(client), f"/requests/{ticket.id}"]
    if not email.endswith("provider.example"):
        pages.append("/requests/new")
    found = {}
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        repeated = duplicate_ids(page.get_data(as_text=True))
        if repeated:
            found[url] = repeated
    assert found == {}


def test_creating_a_token_leaves_the_profile_name_alone(client, app):
    factories.two_organizations()
    client.login("admin@acme.example")
    created = client.post("/profile/tokens", {"token-name": "CI連携"}, csrf_from="/profile")
    page = client.get("/profile") if created.status_code == 302 else created
    html = page.get_data(as_text=True)
    assert 'value="CI連携"' not in html
    assert re.search(r'id="name"[^>]*value="admin"|value="admin"[^>]*id="name"', html)
