"""A real IMAP server: Debian's dovecot, started with its own configuration in a temporary
folder on 127.0.0.1 (STARTTLS with a certificate made for the run). Used by the tests of `mail
fetch` (tests/integration/mail/conftest.py) and by its benchmark (bench/mail.py), so both run
against the same server set up the same way."""
from __future__ import annotations

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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




class DovecotFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_dovecot() -> Iterator[ImapServer]:
    """dovecot on a free port of 127.0.0.1 for the block, its folder removed afterwards."""
    if not Path(DOVECOT).exists():
        raise DovecotFailed("dovecot is missing: scripts/setup.sh installs dovecot-imapd")
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
    port = free_port()
    (base / "dovecot.conf").write_text(CONFIG.format(base=base, uid=uid, port=port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(base / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        server = ImapServer(base, port)
        _wait_for(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(base, ignore_errors=True)


def _wait_for(server: ImapServer, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            server.client().logout()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = server.base / "dovecot.log"
                raise DovecotFailed("dovecot did not start: " + (
                    log.read_text()[-2000:] if log.exists() else "")) from None
            time.sleep(0.2)
