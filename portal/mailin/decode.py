"""One raw RFC 5322 message as the portal reads it: who, what, when, the text and the files.

Pure (no Flask, no database): `read(raw)` returns a frozen `InboundMail`. Headers and bodies in
Japanese charsets go through `japanese.decode` (CP50220/CP932 readings); RFC 2047 subjects split
over several encoded words are joined before decoding; RFC 2231 file names are read; an
HTML-only mail becomes readable text (inscriptis, scripts and styles dropped); inline images and
attachments are kept as files. The receipt time is the receiving server's (the top Received
header), never the sender's Date.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from portal.core.addresses import canonical_address  # as accounts store addresses
from portal.mailin import japanese
from portal.tickets.quoting import split_quoted  # noqa: F401  (the one rule, shared with the thread view)

_NUMBER_TAG = re.compile(r"\[([A-Z][A-Z0-9]{1,19}-\d{1,9})\]")
_SEVERITY_TAG = re.compile(r"\[\s*(?:深刻度|severity|sev)\s*[:：]?\s*([1abc])\s*\]", re.IGNORECASE)
_BACKUP_TAG = re.compile(r"\[\s*(?:バックアップ|backup)\s*[:：]?\s*(復元|restore|スケジュール変更|"
                         r"schedule)\s*\]", re.IGNORECASE)
_BACKUP_KINDS = {"復元": "restore", "restore": "restore", "スケジュール変更": "schedule_change",
                 "schedule": "schedule_change"}
_AUTOMATIC_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|bounces?)([+@]|$)",
                                re.IGNORECASE)


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    content: bytes
    inline: bool


@dataclass(frozen=True)
class InboundMail:
    message_id: str  # as sent, else "sha256:<digest of the raw bytes>"
    sender: str  # the From address, normalised (NFKC, lower case)
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    files: tuple[MailFile, ...]
    in_reply_to: tuple[str, ...]  # In-Reply-To and References, nearest first
    received_at: datetime | None  # the receiving server's time (UTC), if a Received header says
    automatic: str | None  # why the mail is automatic (no answer, no filing), else None
    authentication_results: tuple[str, ...]
    digest: str
    size: int
    number: str | None = None  # "ACME-42" from the subject tag
    severity: str | None = None  # "1", "A", "B", "C" from the subject tag
    backup_service: str | None = None  # "restore" / "schedule_change" from the subject tag
    html_only: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)


def read(raw: bytes) -> InboundMail:
    """Read one message; never raises for a malformed one (what cannot be read is said)."""
    message = message_from_bytes(raw, policy=policy.compat32)
    subject = header_text(message.get("Subject", ""))
    name, sender = _first_address(message.get_all("From", []))
    text, html_only, files = _body(message)
    digest = hashlib.sha256(raw).hexdigest()
    severity = _SEVERITY_TAG.search(unicodedata.normalize("NFKC", subject))
    backup = _BACKUP_TAG.search(unicodedata.normalize("NFKC", subject))
    number = _NUMBER_TAG.search(unicodedata.normalize("NFKC", subject).upper())
    return InboundMail(
        message_id=_message_id(message.get("Message-ID", "")) or f"sha256:{digest}",
        sender=canonical_address(sender), sender_name=name,
        recipients=tuple(canonical_address(address) for _n, address in getaddresses(
            [header_text(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])
            if address),
        subject=subject, text=text, files=tuple(files),
        in_reply_to=_references(message), received_at=_received_at(message),
        automatic=_automatic(message, sender),
        authentication_results=tuple(header_text(v) for v in
                                     message.get_all("Authentication-Results", [])),
        digest=digest, size=len(raw), number=number.group(1) if number else None,
        severity=severity.group(1).upper() if severity else None,
        backup_service=_BACKUP_KINDS.get(backup.group(1).lower()) if backup else None,
        html_only=html_only)


def header_text(value) -> str:
    """A header's text: encoded words joined per charset, then read as Japanese mailers meant."""
    if value is None:
        return ""
    try:
        chunks = decode_header(str(value))
    except Exception:  # a header so broken that email cannot split it: its raw text
        return str(value)
    text = "".join(japanese.decode(chunk, charset) if isinstance(chunk, bytes) else chunk
                   for chunk, charset in chunks)
    return " ".join(text.replace("\r", " ").replace("\n", " ").split()) if text else ""


def _first_address(values: list) -> tuple[str, str]:
    found = getaddresses([header_text(value) for value in values])
    return found[0] if found else ("", "")


def _message_id(value: str) -> str:
    match = re.search(r"<([^<>\s]{1,900})>", str(value))
    return match.group(1) if match else str(value).strip()[:900]


def _references(message: Message) -> tuple[str, ...]:
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in message.get_all(name, []):
            ids.extend(re.findall(r"<([^<>\s]{1,900})>", str(value)))
    references = list(reversed(re.findall(r"<([^<>\s]{1,900})>",
                                          " ".join(map(str, message.get_all("References", []))))))
    ordered = [*re.findall(r"<([^<>\s]{1,900})>", str(message.get("In-Reply-To", ""))),
               *references]
    return tuple(dict.fromkeys(ordered or ids))


def _received_at(message: Message) -> datetime | None:
    """The date after the last ';' of the top Received header: when our server took it."""
    for value in message.get_all("Received", [])[:1]:
        _, _, stamp = str(value).rpartition(";")
        try:
            when = parsedate_to_datetime(stamp.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        return when.astimezone(UTC)
    return None


def _automatic(message: Message, sender: str) -> str | None:
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing list"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if str(message.get("Content-Type", "")).lower().startswith("multipart/report"):
        return "delivery report"
    if _AUTOMATIC_SENDERS.match(sender or ""):
        return f"automatic sender {sender}"
    return None


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    return japanese.decode(payload, part.get_content_charset())


def _filename(part: Message) -> str:
    name = part.get_param("filename", header="content-disposition")
    if name is None:
        name = part.get_param("name", header="content-type")
    if isinstance(name, tuple):  # RFC 2231: (charset, language, value)
        charset, _language, value = name
        data = value.encode("latin-1", "replace") if isinstance(value, str) else value
        return japanese.decode(data, charset or "utf-8")
    return header_text(name) if name else ""


def _body(message: Message) -> tuple[str, bool, list[MailFile]]:
    plain: list[str] = []
    html: list[str] = []
    files: list[MailFile] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
        filename = _filename(part)
        if content_type == "message/rfc822" or disposition == "attachment" or (
                filename and content_type not in ("text/plain", "text/html")) or (
                not content_type.startswith("text/")):
            if content_type == "message/rfc822":
                inner = part.get_payload()
                raw = inner[0].as_bytes() if isinstance(inner, list) and inner else (
                    part.get_payload(decode=True) or b"")
                files.append(MailFile(filename or "forwarded.eml", content_type, raw, False))
                continue
            files.append(MailFile(filename or _unnamed(content_type, len(files) + 1),
                                  content_type, part.get_payload(decode=True) or b"",
                                  disposition == "inline" or bool(part.get("Content-ID"))))
        elif content_type == "text/html":
            html.append(_part_text(part))
        else:
            plain.append(_part_text(part))
    if plain:
        return _clean("\n\n".join(plain)), False, files
    if html:
        return _clean("\n\n".join(html_to_text(h) for h in html)), True, files
    return "", False, files


def _unnamed(content_type: str, number: int) -> str:
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
                 "application/pdf": "pdf"}.get(content_type, "bin")
    return f"attachment-{number}.{extension}"


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail: layout kept (paragraphs, lists, tables), scripts dropped."""
    from inscriptis import get_text
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    cleaned = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", html)
    return get_text(cleaned, ParserConfig(css=CSS_PROFILES["strict"], display_links=True))


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


# Where a subject too long for a request may be cut: after a space or Japanese/ASCII punctuation.
_BREAK_AFTER = " 　、。，．・,.;:!?！？」』）)]】"
ELLIPSIS = "…"


def shortened(subject: str, limit: int) -> str:
    """A subject within `limit` characters: unchanged when it fits, else cut after the last
    space or punctuation mark in its second half (a whole word or phrase kept), or at the limit
    where there is none (Japanese without punctuation), and "…" added. The caller keeps the
    whole subject elsewhere (the request's description): nothing is lost."""
    if len(subject) <= limit:
        return subject
    room = subject[:limit - len(ELLIPSIS)]
    cut = max(room.rfind(mark) for mark in _BREAK_AFTER)
    if cut >= len(room) // 2:
        room = room[:cut + 1]
    return room.rstrip() + ELLIPSIS
