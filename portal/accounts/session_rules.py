"""When a signed-in session ends by itself: the pure rule, with the time as an argument."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# last_seen_at is written at most this often, so a busy session costs no write per page
SEEN_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionCheck:
    alive: bool
    refresh_last_seen: bool
    reason: str


def check_session(created_at: datetime, last_seen_at: datetime, now: datetime,
                  idle: timedelta, lifetime: timedelta) -> SessionCheck:
    """A session ends `idle` after it was last seen, and `lifetime` after it began, whatever
    happens in between. Alive, its last-seen time is moved on once a minute at most."""
    if now - created_at >= lifetime:
        return SessionCheck(False, False, f"older than {lifetime}")
    if now - last_seen_at >= idle:
        return SessionCheck(False, False, f"idle for {idle} or more")
    return SessionCheck(True, now - last_seen_at >= SEEN_PRECISION, "active")
