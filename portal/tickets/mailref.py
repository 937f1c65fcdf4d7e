"""The Message-IDs of the mail the portal sends about a request, and reading them back.

Every such mail gets `<r{ticket_id}.{mark}.{unique}@{domain}>`: `mark` is an HMAC of the request
id under the portal's secret key, so a reply's In-Reply-To / References name the request
without any table, and nobody can point a reply at a request by guessing an id.
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
