"""Forgotten passwords: same answer for every address, a link from the configured base URL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.core import clock
from portal.notifications.services import drain_outbox
from tests import factories
from tests.conftest import CSRF_RE
from tests.integration.accounts.test_people import LINK_RE


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _ask(client, email, **kwargs):
    return client.post("/password/forgot", {"email": email}, csrf_from="/password/forgot",
                       **kwargs)


def test_known_and_unknown_addresses_get_the_same_answer(client, people, smtp_server):
    known = _ask(client, "admin@acme.example")
    unknown = _ask(client, "nobody@acme.example")
    assert (known.status_code, known.headers["Location"]) == \
        (unknown.status_code, unknown.headers["Location"])
    drain_outbox()
    assert [m["To"] for m in smtp_server.messages] == ["admin@acme.example"]


def test_link_uses_base_url_not_the_host_header(client, people, smtp_server):
    host = {"Host": "attacker.example"}
    page = client.get("/password/forgot", headers=host).get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    answer = client.raw_post("/password/forgot", headers=host,
                             data={"csrf_token": token, "email": "admin@acme.example"})
    assert answer.status_code == 302
    drain_outbox()
    body = smtp_server.messages[0].get_content()
    assert "https://portal.example.jp/password/reset/" in body
    assert "attacker.example" not in body


def test_reset_link_expires_after_a_day(client, people, smtp_server):
    _ask(client, "admin@acme.example")
    drain_outbox()
    link = LINK_RE.search(smtp_server.messages[0].get_content()).group(1)
    assert client.get(link).status_code == 200
    clock.travel_to(clock.now() + timedelta(hours=25))
    assert client.get(link).status_code == 410
