"""Demo data for a first look: two customer organisations, their people, provider staff."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import Organization, Role
from portal.db import db

DEMO_PASSWORD = "madoguchi-demo"
ORGANIZATIONS = (
    ("acme", "株式会社アクメ商事", 5, 20000),
    ("kitsune", "北狐システムズ株式会社", 5, 25000),
)
PEOPLE = (
    ("admin@acme.example", "山田 花子", Role.CUSTOMER_ADMIN, "acme", "ja"),
    ("contact@acme.example", "佐藤 一郎", Role.CONTACT, "acme", "ja"),
    ("en.contact@acme.example", "Emily Clark", Role.CONTACT, "acme", "en"),
    ("admin@kitsune.example", "鈴木 健", Role.CUSTOMER_ADMIN, "kitsune", "ja"),
    ("contact@kitsune.example", "高橋 美咲", Role.CONTACT, "kitsune", "ja"),
    ("staff@madoguchi.example", "田中 サポート", Role.STAFF, None, "ja"),
    ("admin@madoguchi.example", "伊藤 管理", Role.STAFF_ADMIN, None, "ja"),
)


def seed() -> list[str]:
    """Create the demo data and return the lines to print (the logins)."""
    if db.session.scalar(select(Organization.id).limit(1)) is not None:
        return ["The database already has data: nothing was added."]
    today = date.today()
    orgs = {
        slug: services.create_organization(
            slug, name, included=included, overage_price=price,
            term_start=today.replace(month=1, day=1), term_end=date(today.year + 1, 3, 31))
        for slug, name, included, price in ORGANIZATIONS
    }
    for email, name, role, slug, locale in PEOPLE:
        services.create_user(email, name, role, organization=orgs.get(slug), locale=locale,
                             password=DEMO_PASSWORD)
    db.session.commit()
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role.value:<15} {email}" for email, _n, role, _s, _l in PEOPLE]
    return lines
