"""A real IMAP server for `mail fetch` (tests/imapserver.py: Debian's dovecot on 127.0.0.1, the
same one bench/mail.py uses), and the pipe command `mail receive` run as the mail server would
run it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
