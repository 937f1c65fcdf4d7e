"""Business calendars: when the support desk is open, and business-time arithmetic.

Pure Python (no Flask, no database) so it can be used from models, views, jobs and
tests alike.  Instants are aware datetimes; the calendar is evaluated in the
organisation's zone and results come back in that zone.  Durations are always
computed on UTC instants, so the arithmetic stays correct in zones with DST.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from portal.core import japanese_holidays as kept
from portal.core.months import DEFAULT_ZONE, require_aware

HOLIDAY_COUNTRY = "JP"
# Explicit on purpose: with language=None the `holidays` library guesses from the
# LANGUAGE/LC_ALL/LC_MESSAGES/LANG environment, so names would differ per server.
HOLIDAY_LANGUAGE = "ja"
# Year-end closure, inclusive: 12/30, 12/31, 1/1, 1/2, 1/3, 1/4.
YEAR_END_DAYS = frozenset({(12, 30), (12, 31), (1, 1), (1, 2), (1, 3), (1, 4)})
# A calendar closed for more than this many days in a row is treated as broken.
_MAX_CLOSED_RUN = 400
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)


@lru_cache(maxsize=256)  # one entry per year; bounded but never full in practice
def japanese_holidays(year: int) -> Mapping[date, str]:
    """National holidays of one year (incl. 振替休日 and 国民の休日), cached per year: the
    `holidays` library's, kept in portal/core/japanese_holidays.py for 2000–2060 (the library
    costs ≈0.1 s to load; a test checks the kept days against it), asked for other years.

    Returns a read-only snapshot: the library's own object auto-expands (and mutates)
    when asked about another year, which must never happen to a shared cached value.
    """
    if not kept.FIRST_YEAR <= year <= kept.LAST_YEAR:
        return MappingProxyType(library_holidays(year))
    prefix = f"{year:04d}-"
    return MappingProxyType({date.fromisoformat(line[:10]): line[11:]
                             for line in kept.HOLIDAYS if line.startswith(prefix)})


def library_holidays(year: int) -> dict[date, str]:
    """The `holidays` library's national holidays of one year, in Japanese."""
    import holidays

    found = holidays.country_holidays(HOLIDAY_COUNTRY, years=year, language=HOLIDAY_LANGUAGE)
    return {day: name for day, name in found.items() if day.year == year}


def _require_date(day: date) -> date:
    """Reject datetimes where a calendar date is expected (they never equal a date key)."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}; use local_date()")
    return day


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours of a contract: weekdays `opens`–`closes` local, minus closed days.

    `always_open` is the 24/365 option: every instant is open.  `closure_days` are
    provider closure dates (any iterable is accepted and frozen).
    """

    tz_name: str = DEFAULT_ZONE
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    always_open: bool = False
    closure_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        """Validate early so a bad contract fails at load time, not on the ticket list."""
        ZoneInfo(self.tz_name)  # raises ZoneInfoNotFoundError for unknown zones
        for label in ("opens", "closes"):
            value = getattr(self, label)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ValueError(f"{label} must be a naive local time, got {value!r}")
        if not self.opens < self.closes:
            raise ValueError(f"opens ({self.opens}) must be before closes ({self.closes})")
        days = frozenset(self.closure_days)
        for day in days:
            _require_date(day)
        object.__setattr__(self, "closure_days", days)

    @property
    def tz(self) -> ZoneInfo:
        """The organisation's zone (ZoneInfo instances are cached by the stdlib)."""
        return ZoneInfo(self.tz_name)

    # ---- days -------------------------------------------------------------------

    def local_date(self, instant: datetime) -> date:
        """The calendar date of an instant in this calendar's zone."""
        return require_aware(instant).astimezone(self.tz).date()

    def closed_reason(self, day: date) -> str | None:
        """Why the desk is closed all day, or None on a business day.

        The most specific reason wins: "year_end" > "holiday:<name>" > "closure" >
        "weekend".  Always None with the 24/365 option.
        """
        _require_date(day)
        if self.always_open:
            return None
        if (day.month, day.day) in YEAR_END_DAYS:
            return "year_end"
        holiday = japanese_holidays(day.year).get(day)
        if holiday is not None:
            return f"holiday:{holiday}"
        if day in self.closure_days:
            return "closure"
        if day.weekday() >= 5:
            return "weekend"
        return None

    def is_business_day(self, day: date) -> bool:
        """True when the desk opens at all on this local date."""
        return self.closed_reason(day) is None

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (weekends, holidays and closure days skipped;
        every day counts with the 24/365 option)."""
        _require_date(day)
        if count < 0:
            raise ValueError(f"count must not be negative, got {count!r}")
        while count:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def business_days_later(self, instant: datetime, count: int) -> datetime:
        """The same local time of day, `count` business days after `instant`'s local date."""
        local = require_aware(instant).astimezone(self.tz)
        day = self.add_business_days(local.date(), count)
        return datetime.combine(day, local.time(), tzinfo=self.tz)

    # ---- instants ---------------------------------------------------------------

    def _interval_utc(self, day: date) -> tuple[datetime, datetime]:
        """The opening interval [opens, closes) of a local date, as UTC instants."""
        tz = self.tz
        start = datetime.combine(day, self.opens, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, self.closes, tzinfo=tz).astimezone(UTC)
        return start, end

    def _open_intervals(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield open intervals (UTC) at or after `instant`, the first one clipped to it.

        Walks day by day, so a long closure costs one step per closed day.
        Not for 24/365 calendars (there are no intervals to walk).
        """
        cursor = require_aware(instant).astimezone(UTC)
        day = cursor.astimezone(self.tz).date()
        closed_run = 0
        while True:
            if self.is_business_day(day):
                closed_run = 0
                start, end = self._interval_utc(day)
                if cursor < end:
                    yield max(cursor, start), end
            else:
                closed_run += 1
                if closed_run > _MAX_CLOSED_RUN:
                    raise RuntimeError(f"calendar closed for over {_MAX_CLOSED_RUN} days")
            day += _ONE_DAY

    def is_open(self, instant: datetime) -> bool:
        """True when the desk is staffed at this instant (closing time itself is closed)."""
        require_aware(instant)
        if self.always_open:
            return True
        local = instant.astimezone(self.tz)
        if not self.is_business_day(local.date()):
            return False
        start, end = self._interval_utc(local.date())
        return start <= instant < end

    def next_opening(self, instant: datetime) -> datetime:
        """`instant` itself if open, else the next opening time; in the calendar's zone."""
        require_aware(instant)
        if self.always_open:
            return instant.astimezone(self.tz)
        start, _ = next(self._open_intervals(instant))
        return start.astimezone(self.tz)

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when `duration` of open time has elapsed after `start`.

        Counting begins at next_opening(start).  A duration that runs out exactly at
        closing returns that closing time, not the next morning.
        """
        require_aware(start, "start")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        if self.always_open:
            return (start.astimezone(UTC) + duration).astimezone(self.tz)
        remaining = duration
        for begin, end in self._open_intervals(start):
            if remaining <= end - begin:
                return (begin + remaining).astimezone(self.tz)
            remaining -= end - begin
        raise AssertionError("unreachable: _open_intervals never ends")  # pragma: no cover

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from `start` to `end`; negative when `end` is before `start`.

        The negative case measures how far overdue a deadline is, in business time.
        """
        require_aware(start, "start")
        require_aware(end, "end")
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end < start:
            return -self.business_time_between(end, start)
        if self.always_open:
            return end - start
        total = _ZERO
        for begin, close in self._open_intervals(start):
            if begin >= end:
                break
            total += min(close, end) - begin
        return total

    def with_options(self, **changes: object) -> BusinessCalendar:
        """A copy with some fields changed (e.g. always_open=True for a 24x7 clock)."""
        return replace(self, **changes)


TWENTY_FOUR_SEVEN = BusinessCalendar(always_open=True)
