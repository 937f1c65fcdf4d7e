"""The customer administrator's designated contacts, and password links (set / reset).

Every change of contacts is recorded and the provider's staff are told (services description 2.6).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.accounts import security, tenancy
from portal.accounts.interfaces import AccountsError, NotAllowed, NotFound
from portal.accounts.models import CUSTOMER_ROLES, STAFF_ROLES, AuditEvent, Role, User
from portal.accounts.services import (
    create_user,
    mailable_email,
    normalise_email,
    record,
    set_password,
)
from portal.accounts.sessions import end_others
from portal.core import clock
from portal.core.i18n import _l
from portal.db import db
from portal.notifications.services import send_template


def organisation_people(org_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.organization_id == org_id).order_by(User.role, User.name)
    ))


# an administrator may send an invitation again, at most once a minute per person
RESEND_INTERVAL = timedelta(minutes=1)
INVITATION_SENT = ("user.created", "contact.invitation_resent")


@dataclass(frozen=True)
class Pending:
    """An invitation not accepted yet: when it was last sent, and whether its link expired."""
    sent_at: datetime | None
    expired: bool


def pending_invitations(users: list[User]) -> dict[int, Pending]:
    """The people who have not accepted their invitation yet (no password set and never signed
    in: a person of a single-sign-on organisation may never set one), by id. Two queries at
    most, however many people."""
    candidates = [user.id for user in users if user.password_hash is None]
    if not candidates:
        return {}
    signed_in = set(db.session.scalars(
        select(AuditEvent.target_id).where(
            AuditEvent.target_type == "user", AuditEvent.target_id.in_(candidates),
            AuditEvent.action == "user.signed_in").distinct()))
    waiting = [user_id for user_id in candidates if user_id not in signed_in]
    if not waiting:
        return {}
    sent = dict(db.session.execute(
        select(AuditEvent.target_id, func.max(AuditEvent.at)).where(
            AuditEvent.target_type == "user", AuditEvent.target_id.in_(waiting),
            AuditEvent.action.in_(INVITATION_SENT)).group_by(AuditEvent.target_id)).all())
    valid_for = timedelta(seconds=current_app.config["PASSWORD_LINK_MAX_AGE"])
    now = clock.now()
    return {user_id: Pending(sent.get(user_id), sent.get(user_id) is not None
                             and now - sent[user_id] > valid_for) for user_id in waiting}


def resend_invitation(admin: User, user_id: int) -> User:
    """Mail the invitation again with a new link. Earlier links keep working until they expire,
    and all of them stop once one of them has set the password (docs/decisions/pages.md)."""
    user = _member(admin, user_id)
    pending = pending_invitations([user]).get(user.id)
    if pending is None:
        raise AccountsError(_l("%(name)s has already accepted the invitation.", name=user.name))
    if not user.active:
        raise AccountsError(_l("Reactivate %(name)s before sending the invitation again.",
                               name=user.name))
    if pending.sent_at is not None and clock.now() - pending.sent_at < RESEND_INTERVAL:
        raise AccountsError(_l("An invitation was sent to %(name)s less than a minute ago. "
                               "Please wait a minute before sending another.", name=user.name))
    send_template(user, "invitation", inviter=admin, link=password_link(user, "invite"))
    record(admin, "contact.invitation_resent", user, user.organization_id)
    return user


def _member(admin: User, user_id: int) -> User:
    user = tenancy.visible(User, user_id, admin)
    if user is None:
        raise NotFound(_l("No such person in your organisation."))
    return user


def invite(admin: User, email: str, name: str, role: str, locale: str) -> User | None:
    """Add a designated contact (or co-administrator) and mail a set-password link.

    An address that already has an account outside the administrator's organisation is
    answered exactly as a new one (no one learns who has an account elsewhere): nothing is
    created, and the account's holder is told by mail instead. Returns the new user, or None
    in that case."""
    if role not in CUSTOMER_ROLES:
        raise AccountsError(_l("Choose administrator or designated contact."), "role")
    holder = db.session.scalar(select(User).where(User.email == mailable_email(email)))
    if holder is not None and holder.organization_id != admin.organization_id:
        send_template(holder, "invitation_elsewhere", inviter=admin,
                      organization=admin.organization)
        record(admin, "contact.invitation_withheld", holder, None)
        return None
    user = create_user(email, name, role, organization=admin.organization, locale=locale,
                       actor=admin)
    send_template(user, "invitation", inviter=admin, link=password_link(user, "invite"))
    _tell_provider(admin, user, "invited")
    return user


def change_role(admin: User, user_id: int, role: str) -> User:
    user = _member(admin, user_id)
    if role not in CUSTOMER_ROLES:
        raise AccountsError(_l("Choose administrator or designated contact."), "role")
    if user.role == Role.CUSTOMER_ADMIN and role != Role.CUSTOMER_ADMIN:
        _keep_one_admin(user)
    before, user.role = user.role, role
    record(admin, "contact.role_changed", user, user.organization_id, before=before, after=role)
    _tell_provider(admin, user, "role_changed")
    return user


def set_active(admin: User, user_id: int, active: bool) -> User:
    user = _member(admin, user_id)
    if not active and user.role == Role.CUSTOMER_ADMIN:
        _keep_one_admin(user)
    user.active = active
    record(admin, "contact.activated" if active else "contact.deactivated", user,
           user.organization_id)
    _tell_provider(admin, user, "activated" if active else "deactivated")
    return user


def _keep_one_admin(user: User) -> None:
    """An organisation always keeps at least one active administrator."""
    others = db.session.scalar(
        select(func.count(User.id)).where(
            User.organization_id == user.organization_id, User.role == Role.CUSTOMER_ADMIN,
            User.active.is_(True), User.id != user.id,
        )
    )
    if not others:
        raise NotAllowed(_l("The organisation must keep at least one active administrator."))


def _tell_provider(admin: User, user: User, change: str) -> None:
    staff = db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))
    )
    for member in staff:
        send_template(member, "contact_changed", admin=admin, person=user, change=change,
                      organization=admin.organization)


def password_link(user: User, purpose: str) -> str:
    """An absolute link built from the configured base URL, never from the Host header."""
    token = security.password_link_token(
        current_app.config["SECRET_KEY"], user.id, user.password_hash
    )
    return f"{current_app.config['BASE_URL']}/password/{purpose}/{token}"


def request_password_reset(email: str) -> None:
    """Mail a reset link to a known, active address; unknown addresses get the same answer."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is not None and user.active:
        send_template(user, "password_reset", link=password_link(user, "reset"))
        record(None, "password.reset_requested", user, user.organization_id)


def user_for_password_link(token: str) -> User | None:
    """The user a valid, unused, unexpired link belongs to."""
    read = security.read_password_link(
        current_app.config["SECRET_KEY"], token, current_app.config["PASSWORD_LINK_MAX_AGE"]
    )
    if read is None:
        return None
    user = db.session.get(User, read[0])
    if user is None or not user.active:
        return None
    return user if security.fingerprint_matches(user.password_hash, read[1]) else None


def set_password_from_link(token: str, password: str) -> User | None:
    """Set the password a link is for; every session of that person ends."""
    user = user_for_password_link(token)
    if user is None:
        return None
    set_password(user, password)
    end_others(user.id, keep_key=None)
    record(user, "password.set", user, user.organization_id)
    return user
