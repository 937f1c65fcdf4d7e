"""Small helpers shared by integration tests."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.accounts import services as account_services
from portal.db import db

JST = ZoneInfo("Asia/Tokyo")


def jst(*parts) -> datetime:
    return datetime(*parts, tzinfo=JST)


def bearer(user) -> dict:
    token, _row = account_services.issue_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def file_request(user, **fields):
    """File through the service, as the portal does, and commit."""
    from portal.tickets import services

    fields.setdefault("kind", "question")
    fields.setdefault("subject", "操作方法について")
    fields.setdefault("body", "手順を教えてください。")
    ticket = services.file_ticket(user, **fields)
    db.session.commit()
    return ticket
