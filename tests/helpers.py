"""Small helpers shared by integration tests."""
from __future__ import annotations

import threading
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


def at_once(target, *args, count: int = 2) -> None:
    """Run `target(*args)` in `count` threads started together, and wait for them (runners on
    several servers at the same moment)."""
    threads = [threading.Thread(target=target, args=args) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
