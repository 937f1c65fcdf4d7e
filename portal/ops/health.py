"""Readiness checks for the provider's monitoring: database, schema, Japanese font, mail outbox,
and a job runner that ran in the last 5 minutes.

Each check answers {"ok": bool, "detail": str}. They are cheap: one short connection to the
database, one indexed query on the outbox, and a font lookup that is remembered once found.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from portal.core import clock
from portal.db import db
from portal.ops.failure import describe

log = logging.getLogger("portal.health")


def _result(ok: bool, detail: str = "") -> dict:
    return {"ok": ok, "detail": detail or ("ok" if ok else "failing")}


@lru_cache(maxsize=4)
def _script_heads(directory: str) -> frozenset[str]:
    """The Alembic head(s) of the migration scripts shipped with this code."""
    from alembic.script import ScriptDirectory  # Alembic only when readiness is asked

    return frozenset(ScriptDirectory(directory).get_heads())


def schema_revisions(connection) -> frozenset[str]:
    """The revision(s) recorded in the database's alembic_version table (none if absent)."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))


def migration_heads() -> frozenset[str]:
    return _script_heads(current_app.extensions["migrate"].directory)


def database_and_schema() -> tuple[dict, dict]:
    """Does the database answer, and is its schema at the migrations' head?"""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = schema_revisions(connection)
    except (SQLAlchemyError, OSError) as error:
        log.warning("readiness: database unavailable: %s", describe(error))
        return _result(False, "unreachable"), _result(False, "unknown: database unavailable")
    expected = migration_heads()
    if current == expected:
        return _result(True), _result(True, f"at {', '.join(sorted(current))}")
    found = ", ".join(sorted(current)) or "none"
    return _result(True), _result(False, f"at {found}, expected {', '.join(sorted(expected))}; "
                                         "run `flask --app portal db upgrade`")


def outbox() -> dict:
    from portal.notifications.services import outbox_stuck

    try:
        stuck = outbox_stuck()
    except (SQLAlchemyError, OSError) as error:
        db.session.rollback()
        return _result(False, f"unreadable: {describe(error)}")
    if stuck:
        return _result(False, "stuck: mail due over an hour ago is still unsent; "
                              "is `flask --app portal outbox work` running?")
    return _result(True)


def job_runner() -> dict:
    from portal.ops.jobs import RUNNER_SILENT_AFTER, last_seen

    try:
        latest = last_seen()
    except (SQLAlchemyError, OSError) as error:
        db.session.rollback()
        return _result(False, f"unreadable: {describe(error)}")
    minutes = int(RUNNER_SILENT_AFTER.total_seconds() // 60)
    if latest is None:
        return _result(False, "no job runner has run yet; start `flask --app portal jobs work`")
    if latest < clock.now() - RUNNER_SILENT_AFTER:
        return _result(False, f"silent: no job runner has run for {minutes} minutes "
                              f"(last {latest.isoformat()}); is `flask --app portal jobs work` "
                              "running?")
    return _result(True, f"last ran {latest.isoformat()}")


def japanese_font() -> dict:
    """The font the PDFs name (portal/core/fonts.py, cached there)."""
    from portal.core.fonts import JAPANESE_FONT, japanese_font_available

    if japanese_font_available():
        return _result(True, JAPANESE_FONT)
    return _result(False, f"{JAPANESE_FONT} not found: install fonts-ipaexfont-gothic")


def readiness() -> dict[str, dict]:
    """All checks; the database-backed ones are skipped (failing) when the database is down."""
    database, schema = database_and_schema()
    checks = {"database": database, "schema": schema, "japanese_font": japanese_font()}
    down = _result(False, "unknown: database unavailable")
    checks["outbox"] = outbox() if database["ok"] else down
    checks["jobs"] = job_runner() if database["ok"] else down
    return checks
