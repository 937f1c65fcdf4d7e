"""Fixtures: the app on a fresh database (SQLite, or PostgreSQL when PORTAL_TEST_DATABASE_URL
points at a server), a client that signs in through the real login form, a real SMTP server."""
from __future__ import annotations

import contextvars
import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


def _compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database for this run: a new PostgreSQL database, or a SQLite file."""
    server = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
    if not server.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
        return
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def settings_for_tests(database_url: str) -> dict:
    """What the tests' apps are built with, beyond the environment."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "OUTBOX_INLINE": False,
        "BASE_URL": "https://portal.example.jp",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance)
    _compile_catalogs()
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app(settings_for_tests(database_url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    from portal.db import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def app(_app):
    """The app with an app context; every table is emptied after the test."""
    from portal.core import clock
    from portal.db import db

    with _app.app_context():
        yield _app
        db.session.rollback()
        _empty_tables(db)
        db.session.remove()
    # ids and revisions start again at 1 on SQLite: a fragment kept from an earlier test could
    # match a key of the next one
    _app.extensions["fragments"].clear()
    _app.extensions["rate_limits"].reset()
    clock.travel_to(None)


def _empty_tables(db) -> None:
    """Empty the tables a test wrote to, children first, and start their ids again at 1.

    One query finds the tables that hold rows; only those are emptied. (A TRUNCATE of every
    table cost PostgreSQL about 0.3 s per test: a third of the suite's time.)"""
    tables = list(reversed(db.metadata.sorted_tables))
    probe = " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM {table.name})" for table in tables)
    with db.engine.begin() as connection:
        used = set(connection.execute(text(probe)).scalars())
        postgresql = connection.dialect.name == "postgresql"
        for table in tables:
            if table.name not in used:
                continue
            connection.execute(table.delete())
            if postgresql and "id" in table.c and table.c.id.autoincrement in (True, "auto"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)"))
        for index in ("search_index", "search_index_articles"):  # the search backend's own tables
            connection.execute(text(f"DELETE FROM {index}"))


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class PortalClient:
    """A test client that posts forms with their CSRF token and signs in through /login.

    Each request runs in an empty context, so it gets its own app context, `g` and database
    session exactly as in production, instead of sharing the test's.
    """

    def __init__(self, flask_client):
        self.http = flask_client

    def open(self, method: str, url: str, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(self.http.open, url, method=method, **kwargs)

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def raw_post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def csrf_token(self, page: str = "/login") -> str:
        match = CSRF_RE.search(self.get(page).get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def post(self, url, data=None, *, csrf_from: str = "/login", **kwargs):
        form = dict(data or {})
        form.setdefault("csrf_token", self.csrf_token(csrf_from))
        return self.open("POST", url, data=form, **kwargs)

    def login(self, email: str, password: str = "correct horse battery", *,
              second_factor: bool = True):
        """Sign in through the form; when the portal asks for the second factor (staff, people
        with an authenticator app), send the app's current code, as the person would."""
        answer = self.post("/login", {"email": email, "password": password})
        if not second_factor or not answer.headers.get("Location", "").endswith("/login/verify"):
            return answer
        return self.post("/login/verify", {"code": totp_code_for(email)},
                         csrf_from="/login/verify")

    def logout(self):
        return self.post("/logout", csrf_from="/profile")


def totp_code_for(email: str) -> str:
    """The code the person's authenticator app shows now (the portal's clock), of a time step
    not yet used. A test may sign the same person in again and again within one 30-second step,
    which nobody can do by hand; then the last step used is forgotten first (the refusal of a
    replayed code has its own test, tests/integration/accounts/test_second_factor.py)."""
    import pyotp
    from sqlalchemy import select, update

    from portal.accounts.models import SecondFactor, User
    from portal.accounts.totp import DRIFT_STEPS
    from portal.core import clock
    from portal.db import db

    factor = db.session.execute(
        select(SecondFactor.id, SecondFactor.secret, SecondFactor.last_step)
        .join(User, User.id == SecondFactor.user_id)
        .where(User.email == email, SecondFactor.kind == "totp")).first()
    assert factor is not None, f"{email} has no authenticator app"
    totp, now = pyotp.TOTP(factor.secret), clock.now()
    step = totp.timecode(now)
    for offset in range(0, DRIFT_STEPS + 1):
        if factor.last_step is None or step + offset > factor.last_step:
            return totp.at(now, counter_offset=offset)
    with db.engine.begin() as connection:
        connection.execute(update(SecondFactor).where(SecondFactor.id == factor.id)
                           .values(last_step=None))
    return totp.at(now)


@pytest.fixture()
def client(app):
    return PortalClient(app.test_client())


@pytest.fixture()
def other_client(app):
    return PortalClient(app.test_client())


@pytest.fixture()
def smtp_server(app):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); the app sends its mail there."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-connection chatter

    class Collector:
        def __init__(self):
            self.messages = []
            self.delay_s = 0.0  # a slow mail server, for tests of concurrent senders
            self.hold = None  # (arrived, release) events: a mail held mid-delivery until released
            self.refused = set()  # recipients answered 550 (no such mailbox), as a real server does

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in self.refused:
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            import asyncio
            import email
            from email import policy

            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            if self.hold:
                arrived, release = self.hold
                arrived.set()
                await asyncio.get_running_loop().run_in_executor(None, release.wait, 30)
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(message)
            return "250 OK"

    handler = Collector()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    old = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield handler
    controller.stop()
    app.config.update(old)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class QueryCounter:
    """Counts the SQL statements the app sends while it is active."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.fixture()
def count_queries(app):
    from portal.db import db

    return lambda: QueryCounter(db.engine)
