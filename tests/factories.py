"""Small factories that go through the same services as the portal itself."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from portal.accounts import security, services
from portal.db import db

PASSWORD = "correct horse battery"
# Provider staff must have a second factor: every staff member made here has an authenticator
# app with this secret, and PortalClient.login sends its current code (tests/conftest.py).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def organization(slug: str = "acme", name: str = "株式会社アクメ", **kwargs):
    kwargs.setdefault("term_start", date(2026, 1, 1))
    kwargs.setdefault("term_end", date(2027, 3, 31))
    org = services.create_organization(slug, name, **kwargs)
    db.session.commit()
    return org


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    """Argon2 is slow on purpose; hash each test password once per run."""
    return security.hash_password(password)


def user(email: str, role: str = "contact", org=None, locale: str = "ja", name: str | None = None,
         password: str = PASSWORD):
    person = services.create_user(email, name or email.split("@")[0], role, organization=org,
                                  locale=locale)
    person.password_hash = _hash(password)
    if person.is_staff:
        enrol_totp(person)
    db.session.commit()
    return person


def enrol_totp(person, secret: str = TOTP_SECRET):
    """An authenticator app for the person, as if they had set it up (no code asked)."""
    from portal.accounts.models import SecondFactor

    factor = SecondFactor(user_id=person.id, kind="totp", name="TOTP", secret=secret)
    db.session.add(factor)
    db.session.commit()
    return factor


def two_organizations():
    """Two customers, each with an administrator and a contact, and provider staff."""
    acme = organization("acme", "株式会社アクメ")
    kitsune = organization("kitsune", "北狐システムズ")
    return {
        "acme": acme,
        "kitsune": kitsune,
        "acme_admin": user("admin@acme.example", "customer_admin", acme),
        "acme_contact": user("contact@acme.example", "contact", acme),
        "kitsune_admin": user("admin@kitsune.example", "customer_admin", kitsune),
        "kitsune_contact": user("contact@kitsune.example", "contact", kitsune, locale="en"),
        "staff": user("staff@provider.example", "staff"),
        "staff_admin": user("boss@provider.example", "staff_admin"),
    }
