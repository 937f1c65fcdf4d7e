"""Single sign-on against a real OpenID provider (the certified `oidc-provider`, started on
127.0.0.1 by tests/oidc): a customer signs in through their directory and lands in their own
organisation only; nobody is created; nobody of another organisation, and no staff, is reached."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from portal.accounts import sso
from portal.accounts.models import AuditEvent, User
from portal.db import db
from tests import factories, oidc
from tests.helpers import file_request

REDIRECT = "https://portal.example.jp/sso/callback"
CLIENT = {"client_id": "madoguchi-acme", "client_secret": "acme-secret-0123456789",
          "redirect_uris": [REDIRECT]}
ACCOUNTS = {
    "acme-contact": {"email": "contact@acme.example", "email_verified": True},
    "acme-unverified": {"email": "contact@acme.example", "email_verified": False},
    "acme-stranger": {"email": "nobody@acme.example", "email_verified": True},
    "kitsune-contact": {"email": "contact@kitsune.example", "email_verified": True},
    "provider-staff": {"email": "staff@provider.example", "email_verified": True},
}

pytestmark = pytest.mark.skipif(oidc.available() is not None, reason=str(oidc.available()))


@pytest.fixture(scope="module")
def issuer():
    with oidc.provider([CLIENT], ACCOUNTS) as address:
        yield address


@pytest.fixture()
def people(app, issuer):
    people = factories.two_organizations()
    acme = people["acme"]
    sso.save_settings(people["staff_admin"], acme, enabled=True, issuer=issuer,
                      client_id=CLIENT["client_id"], client_secret=CLIENT["client_secret"],
                      allowed_domains="acme.example", sso_only=False)
    db.session.commit()
    return people


def _sign_in(client, account: str, slug: str = "acme"):
    start = client.get(f"/sso/{slug}")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["scope"] == ["openid email"]
    back = oidc.sign_in_at_provider(start.headers["Location"], account)
    return client.get(back)


def test_a_customer_signs_in_through_their_directory_into_their_own_organisation(client, people):
    file_request(people["acme_contact"], subject="アクメの問い合わせ")
    file_request(people["kitsune_contact"], subject="北狐の問い合わせ")
    answer = _sign_in(client, "acme-contact")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/dashboard")
    page = client.get("/requests").get_data(as_text=True)
    assert "アクメの問い合わせ" in page and "北狐の問い合わせ" not in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.signed_in"))
    assert event.actor_id == people["acme_contact"].id and event.details == {"method": "sso"}


def test_the_sign_in_page_finds_the_organisation_by_the_address(client, people):
    answer = client.post("/sso", {"email": "Contact@ACME.example"}, csrf_from="/sso")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sso/acme")
    unknown = client.post("/sso", {"email": "contact@kitsune.example"}, csrf_from="/sso")
    assert unknown.status_code == 422
    assert "シングル サインオンが設定されていません" in unknown.get_data(as_text=True)


@pytest.mark.parametrize("account, message", [
    ("acme-unverified", "メール アドレスが確認されていません"),
    ("acme-stranger", "nobody@acme.example の有効なアカウントがありません"),
    ("kitsune-contact", "許可されていません"),
], ids=["unverified address", "no such person", "another organisation's domain"])
def test_refused_sign_ins_create_nobody_and_sign_nobody_in(client, people, account, message):
    before = db.session.scalar(select(func.count(User.id)))
    answer = _sign_in(client, account)
    assert answer.status_code == 403
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == before
    assert client.get("/requests").status_code == 302


def test_another_organisations_person_is_never_reached(client, people):
    """Even when acme (wrongly) lists kitsune's or the provider's domain, its directory only
    reaches acme's people."""
    sso.save_settings(people["staff_admin"], people["acme"], enabled=True,
                      issuer=sso.settings_for(people["acme"].id).issuer,
                      client_id=CLIENT["client_id"], client_secret="",
                      allowed_domains="acme.example kitsune.example provider.example",
                      sso_only=False)
    db.session.commit()
    for account in ("kitsune-contact", "provider-staff"):
        answer = _sign_in(client, account)
        assert answer.status_code == 403, account
        assert client.get("/requests").status_code == 302


def test_a_changed_state_is_refused(client, people):
    start = client.get("/sso/acme")
    back = oidc.sign_in_at_provider(start.headers["Location"], "acme-contact")
    path, _sep, query = back.partition("?")
    params = parse_qs(query)
    answer = client.get(f"{path}?code={params['code'][0]}&state=forged")
    assert answer.status_code == 403
    assert client.get("/requests").status_code == 302


def test_an_id_token_for_another_nonce_is_refused(client, people):
    """The provider's genuine ID token carries the nonce this browser was given; a browser
    whose kept nonce differs (a token replayed into another sign-in) is refused."""
    start = client.get("/sso/acme")
    back = oidc.sign_in_at_provider(start.headers["Location"], "acme-contact")
    with client.http.session_transaction() as kept:
        kept["_sso_flow"] = {**kept["_sso_flow"], "nonce": "another-sign-in"}
    answer = client.get(back)
    assert answer.status_code == 403
    assert "検証できませんでした" in answer.get_data(as_text=True)
    assert client.get("/requests").status_code == 302


def test_a_wrong_client_secret_is_refused_by_the_provider(client, people):
    settings = sso.settings_for(people["acme"].id)
    settings.client_secret = "not-the-secret"
    db.session.commit()
    assert _sign_in(client, "acme-contact").status_code == 403


def test_a_provider_that_is_not_the_configured_issuer_is_refused(client, people, issuer):
    settings = sso.settings_for(people["acme"].id)
    settings.issuer = issuer.replace("127.0.0.1", "localhost")  # same server, another issuer
    db.session.commit()
    answer = client.get("/sso/acme")
    assert answer.status_code == 403
    assert "正しく設定されていません" in answer.get_data(as_text=True)


def test_sso_only_refuses_the_password(client, people):
    settings = sso.settings_for(people["acme"].id)
    settings.sso_only = True
    db.session.commit()
    answer = client.login("contact@acme.example")
    assert answer.status_code == 422
    assert "シングル サインオンでのみサインインできます" in answer.get_data(as_text=True)
    assert client.login("contact@kitsune.example").status_code == 302  # another organisation
    assert _sign_in(client.__class__(client.http.application.test_client()),
                    "acme-contact").status_code == 302


def test_a_provider_administrator_edits_the_settings(client, people, issuer):
    client.login("boss@provider.example")
    org_id = people["kitsune"].id
    page = client.get(f"/admin/organizations/{org_id}/sso")
    assert page.status_code == 200 and REDIRECT in page.get_data(as_text=True)
    bad = client.post(f"/admin/organizations/{org_id}/sso", {
        "enabled": "y", "issuer": "http://login.example.com", "client_id": "k",
        "client_secret": "s", "allowed_domains": "kitsune.example"},
        csrf_from=f"/admin/organizations/{org_id}/sso")
    assert bad.status_code == 422 and "https://" in bad.get_data(as_text=True)
    taken = client.post(f"/admin/organizations/{org_id}/sso", {
        "enabled": "y", "issuer": issuer, "client_id": "k", "client_secret": "s",
        "allowed_domains": "acme.example"}, csrf_from=f"/admin/organizations/{org_id}/sso")
    assert taken.status_code == 422
    saved = client.post(f"/admin/organizations/{org_id}/sso", {
        "enabled": "y", "issuer": issuer + "/", "client_id": "k", "client_secret": "s",
        "allowed_domains": "Kitsune.example, kitsune.co.jp", "sso_only": "y"},
        csrf_from=f"/admin/organizations/{org_id}/sso")
    assert saved.status_code == 302
    settings = sso.settings_for(org_id)
    assert (settings.issuer, settings.domains, settings.sso_only) == (
        issuer, ["kitsune.co.jp", "kitsune.example"], True)


def test_customers_cannot_open_the_settings(client, people):
    client.login("admin@acme.example")
    assert client.get(f"/admin/organizations/{people['acme'].id}/sso").status_code == 403
