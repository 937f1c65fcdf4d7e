"""Second factors of a person: authenticator apps (TOTP), passkeys and recovery codes; who must
have one; the provider administrator's reset. Services only flush; views commit."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from portal.accounts import passkeys, sessions, totp
from portal.accounts.interfaces import AccountsError, NotFound
from portal.accounts.models import RecoveryCode, SecondFactor, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import _l
from portal.db import db, get


def factors_of(user_id: int) -> list[SecondFactor]:
    return list(db.session.scalars(select(SecondFactor).where(SecondFactor.user_id == user_id)
                                   .order_by(SecondFactor.id)))


def has_factor(user_id: int) -> bool:
    return db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == user_id)
                             .limit(1)) is not None


def required_for(user: User) -> bool:
    """Provider staff and administrators always (they see every organisation); a customer when
    their organisation's administrator asked for it."""
    return user.is_staff or bool(user.organization and user.organization.require_second_factor)


def enrol_totp(user: User, secret: str, code: str) -> SecondFactor:
    """An authenticator app, once the person proved it shows the right codes."""
    if any(factor.kind == "totp" for factor in factors_of(user.id)):
        raise AccountsError(_l("An authenticator app is already set up."), "code")
    verdict = totp.check_code(secret, code, clock.now(), None)
    if verdict.step is None:
        raise AccountsError(_l("The code is not correct. Enter the six digits the app shows now."),
                            "code")
    factor = SecondFactor(user_id=user.id, kind="totp", name="TOTP", secret=secret,
                          last_step=verdict.step, created_at=clock.now())
    db.session.add(factor)
    db.session.flush()
    record(user, "factor.added", user, user.organization_id, kind="totp")
    return factor


def add_passkey(user: User, new: passkeys.NewPasskey, name: str) -> SecondFactor:
    factor = SecondFactor(user_id=user.id, kind="passkey", name=(name.strip() or "Passkey")[:100],
                          credential_id=new.credential_id, public_key=new.public_key,
                          sign_count=new.sign_count, created_at=clock.now())
    db.session.add(factor)
    db.session.flush()
    record(user, "factor.added", user, user.organization_id, kind="passkey", name=factor.name)
    return factor


def passkey_ids(user_id: int) -> list[str]:
    return [factor.credential_id for factor in factors_of(user_id)
            if factor.kind == "passkey" and factor.credential_id]


def passkey_by_credential(user_id: int, credential_id: str | None) -> SecondFactor | None:
    if not credential_id:
        return None
    return db.session.scalar(select(SecondFactor).where(
        SecondFactor.user_id == user_id, SecondFactor.kind == "passkey",
        SecondFactor.credential_id == credential_id))


def passkey_used(factor: SecondFactor, sign_count: int) -> None:
    factor.sign_count, factor.last_used_at = sign_count, clock.now()


def check_code(user: User, code: str) -> str | None:
    """"totp" or "recovery" when the code is an authenticator code or an unused recovery code
    of the person (a recovery code is spent by this), else None."""
    now = clock.now()
    for factor in factors_of(user.id):
        if factor.kind != "totp":
            continue
        verdict = totp.check_code(factor.secret or "", code, now, factor.last_step)
        if verdict.step is not None:
            factor.last_step, factor.last_used_at = verdict.step, now
            return "totp"
    return "recovery" if use_recovery_code(user, code) else None


def use_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id,
        RecoveryCode.code_hash == totp.recovery_hash(user.id, code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = clock.now()
    record(user, "factor.recovery_code_used", user, user.organization_id,
           left=recovery_codes_left(user.id) - 1)
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes; the old ones stop working. Returned once to show, only hashes kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(user.id, code))
                       for code in codes)
    db.session.flush()
    record(user, "factor.recovery_codes_created", user, user.organization_id)
    return codes


def recovery_codes_left(user_id: int) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0


def remove_factor(user: User, factor_id: int) -> None:
    """Remove one of the person's own factors; the last one stays when one is required."""
    factor = get(SecondFactor, factor_id)
    if factor is None or factor.user_id != user.id:
        raise NotFound(_l("No such second factor."))
    if required_for(user) and len(factors_of(user.id)) == 1:
        raise AccountsError(_l("You need a second factor: add another one before removing this one."))
    db.session.delete(factor)
    if len(factors_of(user.id)) == 0:
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(user, "factor.removed", user, user.organization_id, kind=factor.kind, name=factor.name)


def reset_factors(actor: User, person: User) -> None:
    """A provider administrator's reset for someone who lost their phone: every factor and
    recovery code goes, every session ends; the person sets a factor up at the next sign-in
    when one is required. Recorded, and mailed to them."""
    from portal.notifications.services import send_template

    if person.id == actor.id:
        raise AccountsError(_l("You cannot reset your own second factor here."))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == person.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == person.id))
    sessions.end_others(person.id, keep_key=None)
    record(actor, "factor.reset", person, person.organization_id, email=person.email)
    send_template(person, "factors_reset", actor=actor)
