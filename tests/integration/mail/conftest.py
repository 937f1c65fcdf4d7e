"""A real IMAP server for `mail fetch`: Debian's dovecot, started with its own configuration in
a temporary folder on 127.0.0.1 (STARTTLS with a certificate made for the run), and the pipe
command `mail receive` run as the mail server would run it."""
from __future__ import annotations

import imaplib
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[3]
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
CONFIG = """base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{base}/cert.pem
ssl_key = <{base}/key.pem
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={base}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


class ImapServer:
    user, password = "support@provider.example", "imap-secret"

    def __init__(self, base: Path, port: int):
        self.base, self.port = base, port
        self.url = f"imap://support%40provider.example:{self.password}@127.0.0.1:{port}/INBOX"
        self.ca_file = str(base / "cert.pem")

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.starttls(ssl.create_default_context(cafile=self.ca_file))
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, when: float | None = None) -> None:
        """Put a message into INBOX as the provider's mail server would (IMAP APPEND)."""
        client = self.client()
        try:
            client.append("INBOX", None, imaplib.Time2Internaldate(when or time.time()), raw)
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.client()
        try:
            status, data = client.select(f'"{folder}"')
            return int(data[0]) if status == "OK" else 0
        finally:
            client.logout()


@pytest.fixture()
def imap_server():
    if not Path(DOVECOT).exists():
        pytest.fail("dovecot is missing: scripts/setup.sh installs dovecot-imapd for the tests")
    base = Path(tempfile.mkdtemp(prefix="madoguchi-imap-"))
    base.chmod(0o755)
    uid = 65534  # nobody: dovecot never delivers mail as root
    (base / "home").mkdir()
    os.chown(base / "home", uid, uid)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(base / "key.pem"), "-out", str(base / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    (base / "passwd").write_text(f"{ImapServer.user}:{{PLAIN}}{ImapServer.password}\n")
    port = _free_port()
    (base / "dovecot.conf").write_text(CONFIG.format(base=base, uid=uid, port=port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(base / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = ImapServer(base, port)
    deadline = time.monotonic() + 20
    while True:
        try:
            server.client().logout()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
                pytest.fail(f"dovecot did not start: {log[-2000:]}")
            time.sleep(0.2)
    yield server
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(base, ignore_errors=True)


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
