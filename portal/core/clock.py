"""The one place the portal reads the current time, so tests can travel in time."""
from __future__ import annotations

from datetime import UTC, datetime

_fixed: datetime | None = None


def now() -> datetime:
    """The current instant, aware UTC."""
    return _fixed if _fixed is not None else datetime.now(UTC)


def travel_to(instant: datetime | None) -> None:
    """Fix the clock at an instant (tests, demo data); None returns to real time."""
    global _fixed
    if instant is not None and instant.tzinfo is None:
        raise ValueError("travel_to needs an aware datetime")
    _fixed = instant.astimezone(UTC) if instant else None
