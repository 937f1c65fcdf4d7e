"""Mail about one request threads in every mail client, and a reply finds its request again.

Every mail about request N gets a new `Message-ID: <rN.{mark}.{unique}@domain>` and
`In-Reply-To`/`References: <rN.{mark}.0@domain>` (the request's thread root): `mark` is an HMAC
of N under the portal's secret key, so a reply's references name the request without a table,
and nobody can attach a mail to a request by guessing its id.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

_ID = re.compile(r"^r(\d{1,12})\.([0-9a-f]{16})\.[0-9a-f]{1,32}@")


def _mark(ticket_id: int) -> str:
    key = str(current_app.secret_key).encode()
    return hmac.new(key, f"request-mail:{ticket_id}".encode(), hashlib.sha256).hexdigest()[:16]


def root_id(ticket_id: int, domain: str) -> str:
    """The thread root every mail about the request refers to (no angle brackets)."""
    return f"r{ticket_id}.{_mark(ticket_id)}.0@{domain}"


def message_id_for(ticket_id: int, domain: str) -> str:
    """A new Message-ID (without angle brackets) for a mail about request `ticket_id`."""
    return f"r{ticket_id}.{_mark(ticket_id)}.{secrets.token_hex(8)}@{domain}"


def ticket_from_message_id(message_id: str) -> int | None:
    """The request a Message-ID of ours names, else None (someone else's, or altered)."""
    match = _ID.match(message_id or "")
    if not match:
        return None
    ticket_id = int(match.group(1))
    return ticket_id if hmac.compare_digest(match.group(2), _mark(ticket_id)) else None
