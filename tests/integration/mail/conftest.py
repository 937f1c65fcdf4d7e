"""A real IMAP server for `mail fetch` (tests/imapserver.py: Debian's dovecot on 127.0.0.1, the
same one bench/mail.py uses), and the pipe command `mail receive` run as the mail server would
run it."""
from __future__ import annotations

import contextvars
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import settings_for_tests
from tests.imapserver import DovecotFailed, ImapServer, running_dovecot  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def imap_server():
    try:
        with running_dovecot() as server:
            yield server
    except DovecotFailed as error:
        pytest.fail(str(error))


@pytest.fixture()
def flask_command(app):
    """Run `flask --app portal …` as a separate process on the test's database and instance."""

    def run(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess:
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith("PORTAL_TEST")}
        environment.update({
            "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "PORTAL_INSTANCE_PATH": app.config["INSTANCE_PATH"], "PORTAL_OUTBOX_INLINE": "0",
            "PORTAL_BASE_URL": app.config["BASE_URL"], **env})
        return subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args],
                              input=stdin, capture_output=True, cwd=ROOT, env=environment,
                              timeout=120)

    return run


CONFIG_OF = {"PORTAL_MAIL_TRUSTED_AUTHSERV_ID": "MAIL_TRUSTED_AUTHSERV_ID",
             "PORTAL_MAIL_INTAKE_ADDRESS": "MAIL_INTAKE_ADDRESS", "PORTAL_IMAP_URL": "IMAP_URL"}


@dataclass
class Ran:
    """What a command did, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: bytes
    stderr: bytes
    exception: BaseException | None = None


@pytest.fixture(scope="session")
def _mail_app(_app, database_url):
    """The portal as `flask … mail` builds it (portal/commands.py): without its pages and API,
    on the tests' database and settings."""
    from portal import create_app
    from portal.db import db

    app = create_app(settings_for_tests(database_url), pages=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def mail_command(app, _mail_app, monkeypatch):
    """`flask --app portal mail …` in this process (Click's runner): the command `flask` finds
    by its entry point, run in the portal without pages, with its own app context and session
    as in a process of its own, without the seconds a new Python process costs. `PORTAL_…`
    settings are given as for flask_command; the few tests about the process itself (exit codes
    to the mail server, a database that is down) keep flask_command."""
    from portal import commands

    def run(*args: str, stdin: bytes = b"", **env: str) -> Ran:
        for name, value in env.items():
            if name in CONFIG_OF:
                monkeypatch.setitem(_mail_app.config, CONFIG_OF[name], value)
            else:
                monkeypatch.setenv(name, value)
        runner = _mail_app.test_cli_runner()
        # outside the test's app context, as a process of its own starts
        result = contextvars.Context().run(runner.invoke, commands.mail, args=list(args),
                                           input=stdin)
        exception = result.exception if not isinstance(result.exception, SystemExit) else None
        stderr = result.stderr_bytes  # an uncaught error printed as a process would print it
        if exception is not None:
            stderr += "".join(traceback.format_exception(exception)).encode()
        return Ran(result.exit_code, result.stdout_bytes, stderr, exception)

    return run
