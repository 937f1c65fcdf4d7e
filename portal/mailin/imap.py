"""`mail fetch`: every new message of an IMAP mailbox through the intake, then moved away.

PORTAL_IMAP_URL names the mailbox: `imaps://USER:PASSWORD@HOST[:PORT]/FOLDER` (TLS from the
start) or `imap://…` (STARTTLS, required: a password never crosses the network in clear). The
server's certificate is checked against the system's authorities (or SSL_CERT_FILE). A message
is moved to the `Processed` folder only after its outcome is committed; one the database could
not take stays where it is and is read again at the next poll, so nothing is lost.
"""
from __future__ import annotations

import imaplib
import logging
import re
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from sqlalchemy.exc import SQLAlchemyError

from portal.db import db
from portal.mailin import intake

log = logging.getLogger("portal.mail.in")
PROCESSED = "Processed"
BATCH = 200


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    tls: str  # "implicit" | "starttls"
    user: str
    password: str
    folder: str


def mailbox(url: str) -> Mailbox:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("PORTAL_IMAP_URL must be imaps://USER:PASSWORD@HOST/FOLDER "
                         "(or imap://… with STARTTLS)")
    implicit = parts.scheme == "imaps"
    return Mailbox(parts.hostname, parts.port or (993 if implicit else 143),
                   "implicit" if implicit else "starttls", unquote(parts.username or ""),
                   unquote(parts.password or ""), unquote(parts.path.lstrip("/")) or "INBOX")


def _connect(box: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if box.tls == "implicit":
        client = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=context, timeout=30)
    else:
        client = imaplib.IMAP4(box.host, box.port, timeout=30)
        client.starttls(ssl_context=context)
    client.login(box.user, box.password)
    return client


def _internal_date(meta: bytes) -> datetime | None:
    match = re.search(rb'INTERNALDATE "([^"]+)"', meta)
    if not match:
        return None
    return datetime.strptime(match.group(1).decode(), "%d-%b-%Y %H:%M:%S %z").astimezone(UTC)


def fetch_once(url: str) -> dict[str, int]:
    """Take in what is in the mailbox now; returns counts per outcome."""
    box = mailbox(url)
    counts: dict[str, int] = {}
    client = _connect(box)
    try:
        client.select(_quoted(box.folder))
        client.create(_quoted(PROCESSED))  # already there: the server says NO, which is fine
        _status, data = client.uid("SEARCH", None, "ALL")
        uids = data[0].split() if data and data[0] else []
        for start in range(0, len(uids), BATCH):
            chunk = b",".join(uids[start:start + BATCH])
            _status, items = client.uid("FETCH", chunk, "(UID INTERNALDATE BODY.PEEK[])")
            done = []
            for item in items:
                if not isinstance(item, tuple):
                    continue
                meta, raw = item
                uid = re.search(rb"UID (\d+)", meta).group(1)
                try:
                    outcome = intake.receive(raw, received_at=_internal_date(meta))
                except SQLAlchemyError:
                    db.session.rollback()
                    log.exception("mail fetch: the database could not take message %s; "
                                  "it stays in %s for the next poll", uid.decode(), box.folder)
                    continue
                counts[outcome.action] = counts.get(outcome.action, 0) + 1
                done.append(uid)
            if done:
                _move(client, b",".join(done))
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return counts


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _move(client: imaplib.IMAP4, uids: bytes) -> None:
    """MOVE (RFC 6851) where the server has it, else copy, flag deleted and expunge."""
    _status, capabilities = client.capability()
    if b"MOVE" in b" ".join(capabilities or []).upper().split():
        client.uid("MOVE", uids, _quoted(PROCESSED))
        return
    client.uid("COPY", uids, _quoted(PROCESSED))
    client.uid("STORE", uids, "+FLAGS.SILENT", r"(\Deleted)")
    client.expunge()


def work(url: str, interval: float, stopping: list) -> None:
    """Poll until SIGTERM; an unreachable server or database is logged and tried again."""
    while not stopping:
        try:
            counts = fetch_once(url)
            if counts:
                log.info("mail fetch: %s", counts)
        except (OSError, imaplib.IMAP4.error, SQLAlchemyError):
            log.exception("mail fetch failed; trying again in %s s", interval)
        finally:
            db.session.remove()
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.2)
