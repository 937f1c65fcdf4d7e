"""The second factor: staff cannot see anything with a password alone; they pass an
authenticator code (or a recovery code, once each), or set an app up at the next sign-in; codes
follow the portal's clock, are never taken twice and are throttled like passwords."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import AuditEvent, RecoveryCode, SecondFactor, UserSession
from portal.core import clock
from portal.db import db
from tests import factories

NOON = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
STAFF_BLUEPRINTS = ("backoffice", "admin", "outbriefs", "workshops_staff", "mail_review")


@pytest.fixture()
def people(app):
    clock.travel_to(NOON)
    return factories.two_organizations()


def _code(at: datetime = None, secret: str = factories.TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).at(at or clock.now())


def _password_only(client, email):
    return client.login(email, second_factor=False)


def _staff_pages(app):
    """Every GET page of the staff's blueprints, ids filled with 1."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS and "GET" in rule.methods:
            yield re.sub(r"<[^>]+>", "1", rule.rule)


def test_staff_with_only_a_password_open_no_staff_page(app, client, people):
    answer = _password_only(client, "staff@provider.example")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login/verify")
    pages = list(_staff_pages(app))
    assert "/backoffice/queue" in pages and len(pages) > 10
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer.headers["Location"].endswith("/login/verify"), page
    # nor a customer's request or the dashboard
    assert client.get("/requests").headers["Location"].endswith("/login/verify")
    assert client.get("/dashboard").headers["Location"].endswith("/login/verify")


def test_with_the_authenticator_code_the_queue_opens(client, people):
    _password_only(client, "staff@provider.example")
    page = client.get("/login/verify").get_data(as_text=True)
    assert "autocomplete=\"one-time-code\"" in page
    answer = client.post("/login/verify", {"code": _code()}, csrf_from="/login/verify")
    assert answer.status_code == 302
    assert client.get("/backoffice/queue").status_code == 200
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.signed_in")).all()[-1]
    assert event.details == {"method": "password+totp"}


def test_a_wrong_code_keeps_the_form_and_signs_nobody_in(client, people):
    _password_only(client, "staff@provider.example")
    wrong = f"{(int(_code()) + 1) % 1_000_000:06d}"
    answer = client.post("/login/verify", {"code": wrong}, csrf_from="/login/verify")
    assert answer.status_code == 422
    assert "コードが正しくないか、すでに使われています。" in answer.get_data(as_text=True)
    assert client.get("/backoffice/queue").headers["Location"].endswith("/login/verify")


def test_the_code_follows_the_travelling_clock(client, people):
    later = NOON + timedelta(days=3, hours=5)
    clock.travel_to(later)
    _password_only(client, "staff@provider.example")
    stale = client.post("/login/verify", {"code": _code(NOON)}, csrf_from="/login/verify")
    assert stale.status_code == 422
    answer = client.post("/login/verify", {"code": _code(later)}, csrf_from="/login/verify")
    assert answer.status_code == 302


def test_a_code_is_never_taken_twice(client, other_client, people):
    code = _code()
    _password_only(client, "staff@provider.example")
    assert client.post("/login/verify", {"code": code}, csrf_from="/login/verify").status_code == 302
    _password_only(other_client, "staff@provider.example")
    replay = other_client.post("/login/verify", {"code": code}, csrf_from="/login/verify")
    assert replay.status_code == 422


def test_wrong_codes_are_throttled_like_passwords(client, people):
    _password_only(client, "staff@provider.example")
    for _attempt in range(5):
        answer = client.post("/login/verify", {"code": "000000"}, csrf_from="/login/verify")
        assert answer.status_code == 422
    answer = client.post("/login/verify", {"code": _code()}, csrf_from="/login/verify")
    assert answer.status_code == 429


def test_the_pending_sign_in_lapses_after_ten_minutes(client, people):
    _password_only(client, "staff@provider.example")
    clock.travel_to(NOON + timedelta(minutes=11))
    answer = client.post("/login/verify", {"code": _code()}, csrf_from="/login")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")
    assert client.get("/backoffice/queue").headers["Location"].startswith("/login?")


def _without_factor(person):
    db.session.query(SecondFactor).filter_by(user_id=person.id).delete()
    db.session.commit()


def _enrol(client, email) -> list[str]:
    """Sign in with the password, set up the app from the secret shown, return the codes."""
    answer = _password_only(client, email)
    assert answer.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page  # the QR code
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    answer = client.post("/login/enrol", {"code": _code(secret=secret)}, csrf_from="/login/enrol")
    assert answer.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", answer.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return codes


def test_staff_without_a_factor_enrol_before_seeing_anything(app, client, people):
    _without_factor(people["staff"])
    _password_only(client, "staff@provider.example")
    for page in _staff_pages(app):
        assert client.get(page).headers["Location"].endswith("/login/enrol"), page
    wrong = client.post("/login/enrol", {"code": "123456"}, csrf_from="/login/enrol")
    assert wrong.status_code == 422
    assert "コードが正しくありません" in wrong.get_data(as_text=True)
    _password_only(client, "staff@provider.example")
    _enrol(client, "staff@provider.example")
    assert client.get("/backoffice/queue").status_code == 200
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and all(len(value) == 64 for value in hashes)  # only hashes kept


def test_enrolment_is_no_way_around_an_existing_factor(client, people):
    _password_only(client, "staff@provider.example")
    assert client.get("/login/enrol").headers["Location"].endswith("/login/verify")


def test_recovery_codes_work_once_each(client, people):
    _without_factor(people["staff"])
    codes = _enrol(client, "staff@provider.example")
    client.logout()
    _password_only(client, "staff@provider.example")
    first = client.post("/login/verify", {"code": codes[0].upper()}, csrf_from="/login/verify")
    assert first.status_code == 302 and client.get("/backoffice/queue").status_code == 200
    client.logout()
    _password_only(client, "staff@provider.example")
    again = client.post("/login/verify", {"code": codes[0]}, csrf_from="/login/verify")
    assert again.status_code == 422
    assert client.post("/login/verify", {"code": codes[1]},
                       csrf_from="/login/verify").status_code == 302
    page = client.get("/profile/security").get_data(as_text=True)
    assert "10 個のリカバリー コードのうち 8 個が未使用です。" in page


def test_a_customer_without_a_factor_signs_in_with_the_password(client, people):
    answer = client.login("contact@acme.example")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/dashboard")


def test_a_customer_admin_can_require_it_for_the_organisation(client, other_client, people):
    other_client.login("contact@acme.example")
    assert other_client.get("/requests").status_code == 200
    factories.enrol_totp(people["acme_admin"])
    client.login("admin@acme.example")
    answer = client.post("/people/second-factor", {"required": "y"}, csrf_from="/people")
    assert answer.status_code == 302
    assert other_client.get("/requests").status_code == 302  # the contact's session ended
    assert other_client.login("contact@acme.example").headers["Location"].endswith("/login/enrol")
    # kitsune is not affected
    client.logout()
    assert client.login("contact@kitsune.example").headers["Location"].endswith("/dashboard")


def test_the_admin_needs_a_factor_before_requiring_one(client, people):
    client.login("admin@acme.example")
    client.post("/people/second-factor", {"required": "y"}, csrf_from="/people")
    db.session.expire_all()
    assert people["acme"].require_second_factor is False


def test_sensitive_changes_ask_for_the_factor_again_after_ten_minutes(client, people):
    client.login("staff@provider.example")
    created = client.post("/profile/tokens", {"token-name": "監視"}, csrf_from="/profile")
    assert created.status_code == 302 and created.headers["Location"].endswith("/profile")
    clock.travel_to(NOON + timedelta(minutes=11))
    answer = client.post("/profile/tokens", {"token-name": "監視"}, csrf_from="/profile")
    assert answer.status_code == 302 and "/profile/confirm" in answer.headers["Location"]
    answer = client.post("/profile/password", {"current_password": factories.PASSWORD,
                                               "password": "a new long password"},
                         csrf_from="/profile")
    assert "/profile/confirm" in answer.headers["Location"]
    confirmed = client.post("/profile/confirm?next=/profile", {"code": _code()},
                            csrf_from="/profile/confirm")
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/profile")
    created = client.post("/profile/tokens", {"token-name": "監視"}, csrf_from="/profile")
    assert created.status_code == 302 and created.headers["Location"].endswith("/profile")
    assert 'data-testid="new-token"' in client.get("/profile").get_data(as_text=True)


def test_tokens_work_without_a_factor_and_show_their_last_use(client, people):
    client.login("staff@provider.example")
    assert client.post("/profile/tokens", {"token-name": "監視"},
                       csrf_from="/profile").status_code == 302
    shown = client.get("/profile").get_data(as_text=True)
    token = re.search(r'data-testid="new-token">([^<]+)<', shown).group(1)
    api = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {token}"},
                     environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert api.status_code == 200
    page = client.get("/profile").get_data(as_text=True)
    assert "203.0.113.7" in page and "最終アドレス" in page


def test_a_provider_admin_resets_someones_factors(client, other_client, people, smtp_server):
    from portal.notifications.services import drain_outbox

    other_client.login("staff@provider.example")
    client.login("boss@provider.example")
    staff = people["staff"]
    answer = client.post(f"/admin/people/{staff.id}/factors/reset", csrf_from="/admin/staff")
    assert answer.status_code == 302
    assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == staff.id)) is None
    assert db.session.scalar(select(UserSession.id).where(UserSession.user_id == staff.id)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "factor.reset"))
    assert event.actor_id == people["staff_admin"].id and event.target_id == staff.id
    drain_outbox()
    mail = [m for m in smtp_server.messages if m["To"] == "staff@provider.example"]
    assert mail and "二要素認証" in str(mail[0]["Subject"])
    assert other_client.get("/backoffice/queue").status_code == 302
    assert other_client.login("staff@provider.example",
                              second_factor=False).headers["Location"].endswith("/login/enrol")


def test_a_customer_admin_cannot_reset_factors(client, people):
    client.login("admin@acme.example")
    answer = client.post(f"/admin/people/{people['acme_contact'].id}/factors/reset",
                         csrf_from="/people")
    assert answer.status_code == 403
