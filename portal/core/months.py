"""The time primitives every rule shares, one copy each: the default zone, the aware-instant
check, and calendar months ("YYYY-MM") with their bounds. Pure: no Flask, no database.

Zone policy (docs/decisions/structure.md): a month, a day and business hours are always taken in
the organisation's zone (`Organization.timezone`, Asia/Tokyo unless a provider administrator
sets another); DEFAULT_ZONE is only the fallback where no organisation is known.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Tokyo"
JST = ZoneInfo(DEFAULT_ZONE)
# ASCII digits only (`\d` would also take full-width ２０２６), years 0001-9998 so that the month
# after and the month's end always exist.
_MONTH = re.compile(r"(?!0000)([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)
_LAST_YEAR = 9998
# The days a session, an engagement or a deadline may fall on. A date near the ends of Python's
# calendar (9999-12-31) has no "14 days later" or "10 days after"; the portal's own dates are all
# well inside these bounds, and anything outside is a typing mistake to refuse with a message.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def require_aware(instant: datetime, name: str = "instant") -> datetime:
    """Return `instant` unchanged, or raise: a naive datetime has no day, month or deadline."""
    if not isinstance(instant, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {instant!r}")
    return instant


def is_month(text: object) -> bool:
    """Whether `text` is exactly a month this portal can count ("2026-12"; not "２０２６-12",
    "0000-01", "9999-12" or "2026-12\\n")."""
    if not isinstance(text, str):
        return False
    match = _MONTH.fullmatch(text)
    return match is not None and int(match.group(1)) <= _LAST_YEAR


def is_day_in_range(day: object) -> bool:
    """Whether `day` is a date from FIRST_DAY to LAST_DAY (a datetime is not a day)."""
    return isinstance(day, date) and not isinstance(day, datetime) and FIRST_DAY <= day <= LAST_DAY


def parse_month(month: str) -> tuple[int, int]:
    """Split "YYYY-MM" into (year, month), refusing anything else with ValueError."""
    if not is_month(month):
        raise ValueError(f"month must look like 'YYYY-MM', got {month!r}")
    return int(month[:4]), int(month[5:])


def format_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """Move (year, month) by `delta` months, either direction."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_of(instant: datetime, tz_name: str = DEFAULT_ZONE) -> str:
    """The "YYYY-MM" month of `instant` in `tz_name` (2026-12-01 00:00 JST is December, though
    it is still November in UTC)."""
    local = require_aware(instant).astimezone(ZoneInfo(tz_name))
    return format_month(local.year, local.month)


def month_bounds(month: str | date, tz_name: str = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """`[start, end)` of a month ("YYYY-MM", or any date in it) in `tz_name`, as aware UTC."""
    year, mon = (month.year, month.month) if isinstance(month, date) else parse_month(month)
    zone = ZoneInfo(tz_name)
    next_year, next_mon = shift_month(year, mon, 1)
    return (datetime(year, mon, 1, tzinfo=zone).astimezone(UTC),
            datetime(next_year, next_mon, 1, tzinfo=zone).astimezone(UTC))


def next_month(month: str) -> str:
    return format_month(*shift_month(*parse_month(month), 1))


def previous_months(month: str, count: int) -> list[str]:
    """`count` consecutive months ending with `month`, oldest first."""
    year, mon = parse_month(month)
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"count must be an int, got {type(count).__name__}")
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    return [format_month(*shift_month(year, mon, -back)) for back in range(count - 1, -1, -1)]
