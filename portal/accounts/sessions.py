"""Signed-in sessions kept on the server, so that signing out, a new password or the idle and
absolute limits end them: a copied cookie is worth nothing after that.

The session cookie carries a random key (SESSION_KEY_FIELD) beside Flask-Login's user id; the
table keeps its SHA-256. The user loader (portal/web) finds the user and the session in one
indexed query and asks `session_rules.check_session` whether it still lives.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from portal.accounts.models import User, UserSession
from portal.accounts.security import hash_token
from portal.accounts.session_rules import check_session
from portal.core import clock
from portal.db import db

SESSION_KEY_FIELD = "_session_key"


def limits() -> tuple[timedelta, timedelta]:
    """(idle limit, absolute lifetime) from the configuration."""
    config = current_app.config
    return (timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            timedelta(days=config["SESSION_MAX_DAYS"]))


def start(user: User, user_agent: str, ip: str) -> str:
    """Record a new session for the user; returns the key for the cookie (never stored)."""
    key = secrets.token_urlsafe(32)
    now = clock.now()
    db.session.add(UserSession(user_id=user.id, key_hash=hash_token(key), created_at=now,
                               last_seen_at=now, user_agent=(user_agent or "")[:300],
                               ip=(ip or "")[:45]))
    _forget_ended(user.id, now)
    db.session.flush()
    return key


def end(key: str | None) -> None:
    """End the session with this cookie key (signing out)."""
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == hash_token(key)))


def end_others(user_id: int, keep_key: str | None) -> int:
    """End every session of the user but the one with `keep_key` (new password, "sign out
    everywhere else"); returns how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_key:
        query = query.where(UserSession.key_hash != hash_token(keep_key))
    return db.session.execute(query).rowcount


def end_one(user_id: int, session_id: int, keep_key: str | None) -> bool:
    """End one of the user's own sessions (not the current one); False if there is none."""
    query = delete(UserSession).where(UserSession.id == session_id,
                                      UserSession.user_id == user_id)
    if keep_key:
        query = query.where(UserSession.key_hash != hash_token(keep_key))
    return db.session.execute(query).rowcount == 1


def still_alive(session_id: int, created_at: datetime, last_seen_at: datetime) -> bool:
    """The loader's verdict on a session it found: ended ones are deleted, live ones have
    their last-seen time moved on (at most once a minute, one UPDATE by primary key)."""
    now = clock.now()
    verdict = check_session(created_at, last_seen_at, now, *limits())
    if not verdict.alive:
        db.session.execute(delete(UserSession).where(UserSession.id == session_id))
    elif verdict.refresh_last_seen:
        db.session.execute(update(UserSession).where(UserSession.id == session_id)
                           .values(last_seen_at=now))
    return verdict.alive


def active_sessions(user_id: int) -> list[UserSession]:
    """The user's sessions that still live, most recently used first (the profile's list)."""
    now = clock.now()
    idle, lifetime = limits()
    return list(db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.last_seen_at > now - idle,
               UserSession.created_at > now - lifetime)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def is_current(row: UserSession, key: str | None) -> bool:
    return bool(key) and secrets.compare_digest(row.key_hash, hash_token(key))


def _forget_ended(user_id: int, now: datetime) -> None:
    """Sessions of this user that ended by themselves leave the table at the next sign-in."""
    idle, lifetime = limits()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user_id,
        (UserSession.last_seen_at <= now - idle) | (UserSession.created_at <= now - lifetime)))
