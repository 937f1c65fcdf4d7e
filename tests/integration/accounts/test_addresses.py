"""One normal form for addresses (NFKC, lower case) at every entry point and at sign-in, and
addresses mail cannot reach refused where they are typed."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts import services
from portal.accounts.interfaces import AccountsError
from portal.accounts.models import User
from portal.core.addresses import AddressRefused, canonical_address, checked_address
from portal.db import db
from tests import factories

NFC = "info@caf\u00e9.example"
NFD = "info@cafe\u0301.example"


@pytest.mark.parametrize(("typed", "normal"), [
    ("ｃｏｎｔａｃｔ＠acme.example", "contact@acme.example"),
    ("  Contact@ACME.Example ", "contact@acme.example"),
    (NFD, NFC),
    (NFC, NFC),
], ids=["full-width", "case-and-spaces", "nfd-domain", "nfc-domain"])
def test_addresses_have_one_normal_form(typed, normal):
    assert checked_address(typed) == normal == canonical_address(typed)


@pytest.mark.parametrize("typed", ["jürgen@kitsune.example", "caf\u00e9@acme.example",
                                   "not-an-address", "a@b"],
                         ids=["umlaut", "accent", "no-at", "no-domain-dot"])
def test_addresses_mail_cannot_reach_are_refused(typed):
    with pytest.raises(AddressRefused):
        checked_address(typed)


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def test_nfc_and_nfd_and_full_width_are_one_account(app, people):
    factories.user(NFC, "contact", people["acme"])
    for variant in (NFD, "ＩＮＦＯ＠CAFÉ.example"):
        with pytest.raises(AccountsError) as taken:
            services.create_user(variant, "二人目", "contact", organization=people["acme"])
        assert taken.value.field == "email"
    assert db.session.scalar(select(func.count(User.id)).where(User.name == "二人目")) == 0


@pytest.mark.parametrize("typed", ["ｃｏｎｔａｃｔ＠acme.example", "CONTACT@acme.example"])
def test_sign_in_normalises_what_is_typed(client, people, typed):
    assert client.login(typed).status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_sign_in_with_a_decomposed_domain(client, people):
    factories.user(NFC, "contact", people["acme"])
    assert client.login(NFD).status_code == 302


def test_failed_sign_ins_count_once_for_every_spelling(client, people):
    spellings = ["contact@acme.example", "CONTACT@acme.example", "ｃｏｎｔａｃｔ＠acme.example",
                 "Contact@Acme.Example", "contact@ACME.example"]
    for typed in spellings:
        assert client.login(typed, "wrong password").status_code == 422
    assert client.login("ｃｏｎｔａｃｔ＠ａｃｍｅ.example", "wrong password").status_code == 429


def test_the_command_line_refuses_an_unmailable_address(app, people):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "jürgen@kitsune.example", "--name", "Jürgen", "--role", "contact",
        "--org", "kitsune"], input="a long enough secret\n")
    assert result.exit_code != 0
    assert "@ より前に半角英数字" in result.output or "before the @" in result.output
    assert db.session.scalar(select(User).where(User.name == "Jürgen")) is None
