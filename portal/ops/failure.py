"""Failing calmly: recognise an unreachable database, answer without it, keep what was typed.

When the database is down, anything that loads the signed-in user (Flask-Login's user loader, a
lazy relation in base.html, the language selector) fails again. `forget_user` swaps in an
anonymous user and notes, from what is already in memory, who was asking and in which language,
so the error page and the request's log line need nothing from the database.

`kept_fields` returns what a failed POST carried (never passwords, tokens or the CSRF token), so
the error page can show it for copying and offer to send it again: see
docs/decisions/operability.md.
"""
from __future__ import annotations

import re

from flask import g, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

SECRET_WORDS = {"secret", "token", "csrf", "otp", "pin", "cvc", "cvv", "card"}


UNDEFINED_TABLE = "42P01"  # PostgreSQL: the schema is not there (before `db upgrade`, mid-restore)


def database_unavailable(error: BaseException | None) -> bool:
    """Is the database (or its pool, or its schema) not there, rather than a bug in a query?"""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    return bool(error.connection_invalidated) or \
        getattr(error.orig, "sqlstate", None) == UNDEFINED_TABLE


def describe(error: BaseException) -> str:
    """One short line for the log: the driver's first line, never the SQL or its values."""
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0] if lines else ''}"[:300]


def _loaded(instance) -> dict:
    """Attributes already in memory on an ORM object, read without any database access."""
    values = getattr(instance, "__dict__", None) or {}
    return {key: values.get(key) for key in ("id", "organization_id", "locale")}


def forget_user() -> None:
    """Serve the rest of this request as anonymous, remembering id, organisation and language."""
    from portal.extensions import login_manager

    for candidate in (g.pop("api_user", None), g.get("_login_user")):
        known = _loaded(candidate)
        if known["id"] is not None:
            g.error_user = known
            break
    g._login_user = login_manager.anonymous_user()


def is_secret(field_name: str) -> bool:
    """Passwords, tokens, keys and the like are never echoed back onto a page."""
    words = [word for word in re.split(r"[^a-z0-9]+", field_name.lower()) if word]
    return any(word.startswith("pass") or word in SECRET_WORDS for word in words)


def kept_fields() -> list[tuple[str, list[str]]]:
    """The non-secret, non-empty fields of this POST, in the order they were sent."""
    if request.method != "POST":
        return []
    try:
        pairs = list(request.form.lists())
    except Exception:  # an unreadable or oversized body: nothing to keep
        return []
    return [(name, values) for name, values in pairs
            if not is_secret(name) and any(value.strip() for value in values)]


def kept_file_names() -> list[str]:
    """Names of files that came with this POST: they cannot be re-sent, so we say so."""
    if request.method != "POST":
        return []
    try:
        return [f.filename for f in request.files.values() if f and f.filename]
    except Exception:
        return []


def retry_url() -> str:
    """Where the form was sent, with its query string (same origin by construction)."""
    return request.full_path.rstrip("?")


def keeping_context(allow_retry: bool) -> dict:
    """Template variables for the "what you entered" block of an error page.

    A retry is offered only when this POST passed the CSRF check, so a forged cross-site post can
    never be turned into a one-click re-submission.
    """
    fields = kept_fields()
    return {
        "kept_fields": fields,
        "kept_files": kept_file_names(),
        "retry_url": retry_url() if allow_retry and g.get("csrf_valid") and fields else None,
    }
