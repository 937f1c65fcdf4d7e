"""Organisations, contracts, users, API tokens, closure days, and the audit trail."""
from __future__ import annotations

import functools
import re
from datetime import date, time, timedelta

from sqlalchemy import func, select

from portal.accounts import security
from portal.accounts.interfaces import AccountsError, EmailTaken
from portal.accounts.models import (
    CUSTOMER_ROLES,
    ApiToken,
    AuditEvent,
    ClosureDay,
    Contract,
    Organization,
    Role,
    User,
)
from portal.core import clock
from portal.core.addresses import AddressRefused, canonical_address, checked_address
from portal.core.i18n import _l
from portal.core.text import one_line
from portal.db import db

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def record(actor: User | None, action: str, target, organization_id: int | None = None, **details):
    """Append one audit event: who did what to what, and when."""
    event = AuditEvent(
        at=clock.now(),
        actor_id=actor.id if actor else None,
        organization_id=organization_id,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        details=details,
    )
    db.session.add(event)
    return event


def create_organization(
    slug: str,
    name: str,
    *,
    included: int = 5,
    overage_price: int = 20000,
    term_start: date | None = None,
    term_end: date | None = None,
    actor: User | None = None,
) -> Organization:
    """An organisation with its first contract term (one year from today by default)."""
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise AccountsError(_l("Use 2–63 lowercase letters, digits and hyphens."), "slug")
    if db.session.scalar(select(Organization.id).where(Organization.slug == slug)):
        raise AccountsError(_l("An organisation with this slug already exists."), "slug")
    start = term_start or clock.now().date()
    end = term_end or (start.replace(year=start.year + 1) - timedelta(days=1))
    org = Organization(slug=slug, name=name.strip(), timezone="Asia/Tokyo")
    contract = Contract(term_start=start, term_end=end, included_requests=included,
                        overage_unit_price=overage_price, opens=time(9), closes=time(17),
                        always_open=False, package_items=base_package())
    _check_contract(contract)
    org.contracts.append(contract)
    db.session.add(org)
    db.session.flush()
    record(actor, "organization.created", org, org.id, slug=slug)
    return org


def _check_contract(contract: Contract) -> None:
    if contract.included_requests < 0:
        raise AccountsError(_l("Included requests cannot be negative."), "included_requests")
    if contract.overage_unit_price < 0:
        raise AccountsError(_l("The unit price cannot be negative."), "overage_unit_price")
    if contract.term_end < contract.term_start:
        raise AccountsError(_l("The term must end after it starts."), "term_end")
    if contract.opens >= contract.closes:
        raise AccountsError(_l("Opening time must be before closing time."), "closes")


def base_package() -> dict[str, str]:
    """The services description's base package: every ✓ item included."""
    from portal.seed_texts import PACKAGE_ITEMS

    return {item["key"]: "included" for item in PACKAGE_ITEMS if item["status"] == "included"}


def set_package_items(contract: Contract, actor: User, chosen: dict[str, str]) -> None:
    """Record which package items the contract includes (✓) or has purchased (+)."""
    from portal.seed_texts import PACKAGE_ITEMS

    known = {item["key"] for item in PACKAGE_ITEMS}
    items = {key: mode for key, mode in chosen.items()
             if key in known and mode in ("included", "purchased")}
    before, contract.package_items = contract.package_items, items
    record(actor, "contract.package_changed", contract, contract.organization_id,
           added=sorted(set(items) - set(before)), removed=sorted(set(before) - set(items)))


def update_contract(contract: Contract, actor: User, **values) -> Contract:
    before = {key: str(getattr(contract, key)) for key in values}
    for key, value in values.items():
        setattr(contract, key, value)
    _check_contract(contract)
    db.session.flush()
    record(actor, "contract.updated", contract, contract.organization_id, before=before,
           after={key: str(value) for key, value in values.items()})
    return contract


def current_contract(org: Organization, today: date | None = None) -> Contract | None:
    """The contract covering today, else the latest one."""
    today = today or clock.now().date()
    for contract in org.contracts:
        if contract.covers(today):
            return contract
    return org.contracts[0] if org.contracts else None


def normalise_email(email: str) -> str:
    """The one normal form of an address (portal/core/addresses.py), for look-ups."""
    return canonical_address(email)


def mailable_email(email: str) -> str:
    """The normal form of an address the portal will write to, or AccountsError on `email`."""
    try:
        return checked_address(email)
    except AddressRefused as refused:
        raise AccountsError(refused.message, "email") from None


def create_user(email: str, name: str, role: str, *, organization: Organization | None = None,
                locale: str = "ja", password: str | None = None, actor: User | None = None) -> User:
    """A person; customers belong to an organisation, provider staff to none."""
    email = mailable_email(email)
    if role not in set(Role):
        raise AccountsError(_l("Unknown role."), "role")
    if (role in CUSTOMER_ROLES) != (organization is not None):
        raise AccountsError(_l("Customers need an organisation; provider staff have none."), "org")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise EmailTaken(_l("This e-mail address is already registered."), "email")
    user = User(email=email, name=one_line(name), role=role, organization=organization,
                locale=locale if locale in ("ja", "en") else "ja", active=True)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", user, user.organization_id, role=role, email=email)
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < security.MIN_PASSWORD_LENGTH:
        raise AccountsError(_l("Use at least 10 characters."), "password")
    user.password_hash = security.hash_password(password)


MAIL_SWITCHES = ("mail_colleagues", "mail_status", "mail_maintenance")


def save_mail_settings(user: User, locale: str, **switches: bool) -> None:
    """The person's mail language and which switchable mails they get (the profile page;
    portal/notifications/preferences.py says which mails those are). Staff have no switches."""
    if locale not in ("ja", "en"):
        raise AccountsError(_l("Choose Japanese or English."), "locale")
    user.locale = locale
    if not user.is_staff:
        for name in MAIL_SWITCHES:
            setattr(user, name, bool(switches.get(name)))
    db.session.flush()
    record(user, "profile.updated", user, user.organization_id)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same cost either way)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        security.check_password(dummy_hash(), password)
        return None
    if not security.check_password(user.password_hash, password) or not user.active:
        return None
    return user


@functools.cache
def dummy_hash() -> str:
    """A hash to check unknown addresses against (so they take as long as known ones); made on
    first use, not at import: an Argon2 hash costs most of a second that a command-line start
    (`mail receive`) would pay for nothing."""
    return security.hash_password("not-a-real-password")


def issue_token(user: User, name: str) -> tuple[str, ApiToken]:
    """A new API token for the user: the token itself is returned once, never stored."""
    name = name.strip() or "API"
    token, token_hash = security.new_api_token()
    row = ApiToken(user=user, name=name[:100], token_hash=token_hash, prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    record(user, "token.created", row, user.organization_id, name=row.name)
    return token, row


def revoke_token(user: User, token_id: int) -> bool:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at:
        return False
    row.revoked_at = clock.now()
    record(user, "token.revoked", row, user.organization_id, name=row.name)
    return True


def user_for_token(token: str, ip: str | None = None) -> User | None:
    """The active user a bearer token acts for; notes when and from where it was last used
    (a program needs no second factor: the token was made by someone who passed it)."""
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == security.hash_token(token))
    )
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = clock.now()
    ip = (ip or "")[:45] or None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1) \
            or row.last_used_ip != ip:
        row.last_used_at, row.last_used_ip = now, ip
    return row.user


def closure_days(start: date | None = None, end: date | None = None) -> frozenset[date]:
    query = select(ClosureDay.day)
    if start:
        query = query.where(ClosureDay.day >= start)
    if end:
        query = query.where(ClosureDay.day <= end)
    return frozenset(db.session.scalars(query))


def add_closure_day(day: date, note: str, actor: User) -> ClosureDay:
    if db.session.scalar(select(ClosureDay.id).where(ClosureDay.day == day)):
        raise AccountsError(_l("This day is already a closure day."), "day")
    row = ClosureDay(day=day, note=note.strip()[:200])
    db.session.add(row)
    db.session.flush()
    record(actor, "closure_day.added", row, None, day=day.isoformat())
    return row


def remove_closure_day(day_id: int, actor: User) -> None:
    row = db.session.get(ClosureDay, day_id)
    if row is not None:
        record(actor, "closure_day.removed", row, None, day=row.day.isoformat())
        db.session.delete(row)
