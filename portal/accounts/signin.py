"""The steps of a sign-in, kept in the signed session cookie: a password (or the organisation's
single sign-on) first, then the second factor when the person has or needs one; and the
"recent second factor" that sensitive changes ask for again (sudo mode).

Between the password and the second factor nobody is signed in: the session only names the
person pending (for 10 minutes), so no page shows them anything. Every page they open meanwhile
(the queue, the back office, a customer's request) redirects to the second-factor step."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, login_user

from portal.accounts import factors, passkeys, sessions
from portal.accounts.models import User
from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import SHOWN_LANGUAGE
from portal.db import get

PENDING_USER, PENDING_AT, PENDING_NEXT = "_pending_user", "_pending_at", "_pending_next"
FACTOR_AT = "_factor_at"
ENROL_SECRET = "_enrol_secret"
PENDING_FOR = timedelta(minutes=10)
RECENT_FACTOR = timedelta(minutes=10)  # sudo mode: a change of password, factors or tokens
# what a pending sign-in may open: its own steps, the language switch, static files
PENDING_ENDPOINTS = {"static", "accounts.login", "accounts.switch_language", "security.verify",
                     "security.verify_passkey_options", "security.verify_passkey",
                     "security.enrol", "security.cancel"}


def safe_next(target: str | None) -> str:
    """Only a local path may follow a sign-in; anything else (another site, a backslash, a
    control character such as a CR or LF that cannot be put in a Location header) goes to the
    dashboard."""
    target = target or ""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return url_for("dashboard.index")
    parts = urlsplit(target)
    local = target.startswith("/") and not target.startswith("//")
    if not local or parts.scheme or parts.netloc or "\\" in target:
        return url_for("dashboard.index")
    return target


def _kept_languages() -> dict:
    """What survives the fresh session of a sign-in: the language chosen before it, and the
    header's switch for this session's pages (SHOWN_LANGUAGE)."""
    return {key: session[key] for key in ("lang", SHOWN_LANGUAGE) if key in session}


def begin(user: User, next_url: str) -> None:
    """The password was right; the second factor comes next (a fresh session: no fixation)."""
    kept = _kept_languages()
    session.clear()
    session.update(kept)
    session[PENDING_USER] = user.id
    session[PENDING_AT] = clock.now().timestamp()
    session[PENDING_NEXT] = next_url


def pending_user() -> User | None:
    """The person between password and second factor, if their 10 minutes have not run out."""
    user_id, started = session.get(PENDING_USER), session.get(PENDING_AT)
    if not isinstance(user_id, int) or not isinstance(started, (int, float)):
        return None
    if clock.now().timestamp() - started > PENDING_FOR.total_seconds():
        return None
    user = get(User, user_id)
    return user if user is not None and user.active else None


def step_for(user: User) -> str | None:
    """Which second-factor step this person takes after the password: "verify" (they have a
    factor), "enrol" (they need one and have none), or None (signed in at once)."""
    if factors.has_factor(user.id):
        return "verify"
    return "enrol" if factors.required_for(user) else None


def complete(user: User, method: str, factor_passed: bool) -> str:
    """Sign the person in (a new server-side session) and return where to go next."""
    next_url = session.get(PENDING_NEXT) or url_for("dashboard.index")
    kept = _kept_languages()
    session.clear()
    session.update(kept)
    login_user(user)
    session[sessions.SESSION_KEY_FIELD] = sessions.start(
        user, request.user_agent.string, request.remote_addr or "")
    if factor_passed:
        session[FACTOR_AT] = clock.now().timestamp()
    record(user, "user.signed_in", user, user.organization_id, method=method)
    return next_url


def mark_factor_passed() -> None:
    """The signed-in person just passed their second factor again (sudo mode starts)."""
    session[FACTOR_AT] = clock.now().timestamp()


def factor_is_recent(user: User) -> bool:
    """May this person make a sensitive change now? Yes when they have no factor and need none
    (nothing more to ask), or when they passed it within the last 10 minutes."""
    if not factors.has_factor(user.id) and not factors.required_for(user):
        return True
    passed = session.get(FACTOR_AT)
    return isinstance(passed, (int, float)) and \
        clock.now().timestamp() - passed <= RECENT_FACTOR.total_seconds()


def redirect_pending():
    """Before every request: a pending sign-in sees no page but its own steps."""
    if PENDING_USER not in session or request.endpoint in PENDING_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    user = pending_user()
    if user is None:
        for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, ENROL_SECRET):
            session.pop(key, None)
        return None
    if request.path.startswith("/api/"):
        return None  # the API answers 401 by itself: a pending cookie is no credential
    step = step_for(user) or "verify"
    return redirect(url_for(f"security.{step}"))


def relying_party() -> passkeys.RelyingParty:
    """The portal as WebAuthn's relying party: its origin and its name."""
    config = current_app.config
    origin = config.get("WEBAUTHN_ORIGIN") or config["BASE_URL"]
    return passkeys.RelyingParty(origin=origin.rstrip("/"), name=config["PROVIDER_NAME"])


def factor_failure_key() -> str:
    """Wrong codes are throttled like wrong passwords: per address and per person."""
    from portal.ratelimit import remote_address

    person = session.get(PENDING_USER) or session.get("_user_id") or "-"
    return f"{remote_address()}|factor:{person}"
