"""Workshop prices, the 14-day cancellation rule, and booking within a contract.

Pure rules, no I/O: every function takes the time it needs as an argument and
never reads the clock.

The cancellation rule. Let D be the first day of the booked session, as a date
in JST. A request (cancellation or reschedule) received on the calendar day
``D - n`` (JST) is priced by the tiers: the tier with the smallest
``days_before`` that is >= n applies, and if no tier has ``days_before >= n``
the request is free. The default is the single tier (13 days, 100%), which
makes the deadline the end of day ``D - 14`` (23:59:59.999999 JST): free up to
and including it, the full late fee from 00:00 on ``D - 13``. Once day D has
come (received on or after D, JST) the session can no longer be cancelled or
rescheduled.

Example: a session starting 2026-12-10 has its deadline at the end of
2026-11-26 JST; a cancellation at 18:00 JST that day is free, one at 00:00 JST
on 2026-11-27 costs the late fee.

Money is always an ``int`` number of yen; percentages use Decimal and round
half up to whole yen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from portal.core.money import format_yen
from portal.core.months import DEFAULT_ZONE, require_aware

DEFAULT_TZ = DEFAULT_ZONE
MAX_DAYS_BEFORE = 13
# A booking made fewer than this many days before the contract ends is warned about.
CONTRACT_WARNING_DAYS = 60

PER_ATTENDEE = "per_attendee"
DEDICATED = "dedicated"
PRICINGS = (PER_ATTENDEE, DEDICATED)


# --------------------------------------------------------------------------- helpers


def _require_int(value: int, name: str, minimum: int = 0) -> int:
    """Return ``value`` if it is an int >= ``minimum`` (bools and floats refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _require_date(value: date, name: str) -> date:
    """Refuse datetimes where a calendar date is meant (a datetime is also a date)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, got {type(value).__name__}")
    return value


def local_date(instant: datetime, tz_name: str = DEFAULT_TZ) -> date:
    """Return the calendar date of ``instant`` in ``tz_name`` (e.g. "today" in JST)."""
    require_aware(instant, "instant")
    return instant.astimezone(ZoneInfo(tz_name)).date()


# --------------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class FeeTier:
    """Requests received ``days_before`` days or fewer before D cost ``percent`` of the price.

    ``days_before`` is 0..13 (14 days or more before D is always free) and
    ``percent`` is 0..100; anything else raises ValueError.
    """

    days_before: int
    percent: int

    def __post_init__(self) -> None:
        for name in ("days_before", "percent"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"fee tier {name} must be a whole number, got {value!r}")
        if not 0 <= self.days_before <= MAX_DAYS_BEFORE:
            raise ValueError(
                f"fee tier days_before must be between 0 and {MAX_DAYS_BEFORE},"
                f" got {self.days_before}"
            )
        if not 0 <= self.percent <= 100:
            raise ValueError(f"fee tier percent must be between 0 and 100, got {self.percent}")


DEFAULT_TIERS = (FeeTier(MAX_DAYS_BEFORE, 100),)


def validate_tiers(tiers: Iterable[tuple[int, int] | FeeTier]) -> tuple[FeeTier, ...]:
    """Check a workshop's tiers and return them sorted by ``days_before``.

    Accepts FeeTier objects or ``(days_before, percent)`` pairs. Out-of-range
    values and two tiers with the same ``days_before`` raise ValueError. An
    empty input gives an empty tuple, which means "use DEFAULT_TIERS".
    """
    result: list[FeeTier] = []
    for item in tiers:
        if isinstance(item, FeeTier):
            result.append(item)
            continue
        try:
            days_before, percent = item
        except (TypeError, ValueError):
            raise ValueError(f"fee tier must be (days_before, percent), got {item!r}") from None
        result.append(FeeTier(days_before, percent))
    result.sort(key=lambda tier: tier.days_before)
    for earlier, later in zip(result, result[1:], strict=False):
        if earlier.days_before == later.days_before:
            raise ValueError(f"fee tiers repeat days_before {earlier.days_before}")
    return tuple(result)


def effective_tiers(tiers: Iterable[tuple[int, int] | FeeTier] = ()) -> tuple[FeeTier, ...]:
    """Validated tiers, or DEFAULT_TIERS (13 days, 100%) when none are set."""
    return validate_tiers(tiers) or DEFAULT_TIERS


def tier_for(days_before: int, tiers: tuple[FeeTier, ...]) -> FeeTier | None:
    """The tier with the smallest ``days_before`` >= ``days_before``; None means free.

    ``tiers`` must already be validated (sorted).
    """
    for tier in tiers:
        if tier.days_before >= days_before:
            return tier
    return None


@dataclass(frozen=True)
class TierRange:
    """A tier as people read it: received ``first`` to ``last`` days before D costs ``percent``."""

    first: int
    last: int
    percent: int


def tier_ranges(tiers: Iterable[tuple[int, int] | FeeTier] = ()) -> tuple[TierRange, ...]:
    """The effective tiers as day ranges, earliest first.

    Tiers (13, 50%) and (3, 100%) read "13 to 4 days before: 50%", "3 to 0 days before: 100%".
    """
    rows, previous = [], -1
    for tier in effective_tiers(tiers):
        rows.append(TierRange(tier.days_before, previous + 1, tier.percent))
        previous = tier.days_before
    return tuple(reversed(rows))


def fee_for(price: int, percent: int) -> int:
    """``percent`` of ``price`` in whole yen, rounded half up, never above the price."""
    _require_int(price, "price")
    _require_int(percent, "percent")
    amount = (Decimal(price) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(price, int(amount))


# --------------------------------------------------------------------------- cancellation


def cancellation_deadline(
    first_day: date,
    tz_name: str = DEFAULT_TZ,
    *,
    tiers: Iterable[tuple[int, int] | FeeTier] = (),
) -> datetime:
    """The last instant a cancellation is free: end of day ``D - 14`` in ``tz_name``.

    Returned aware, in that zone, at 23:59:59.999999. With custom ``tiers`` the
    free period ends the day before the largest tier begins, i.e. the end of day
    ``D - (max days_before + 1)``; with the default tiers that is ``D - 14``.
    """
    _require_date(first_day, "first_day")
    last_free_day = first_day - timedelta(days=effective_tiers(tiers)[-1].days_before + 1)
    return datetime.combine(last_free_day, time.max, tzinfo=ZoneInfo(tz_name))


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling or rescheduling at a given instant costs, and why.

    ``days_before`` is n in "received on day D - n" (negative once D has passed).
    ``free`` is True when no tier applies or the applicable tier is 0%.
    """

    deadline: datetime
    days_before: int
    allowed: bool
    free: bool
    percent: int
    fee: int
    price: int
    reason: str


def _deadline_text(deadline: datetime) -> str:
    """The deadline as people read it, e.g. "2026-11-26 23:59 JST"."""
    return deadline.strftime("%Y-%m-%d %H:%M %Z")


def cancellation_quote(
    first_day: date,
    price: int,
    at: datetime,
    tiers: Iterable[tuple[int, int] | FeeTier] = (),
    tz_name: str = DEFAULT_TZ,
) -> CancellationQuote:
    """Quote a cancellation or reschedule of a session starting ``first_day``, received ``at``.

    ``price`` is the booking price in yen (see ``booking_price``). Received after
    the first day (in ``tz_name``, n < 0) it is not allowed at all; otherwise the
    tier rule in the module docstring decides the percent.
    """
    _require_date(first_day, "first_day")
    _require_int(price, "price")
    require_aware(at, "at")
    checked = effective_tiers(tiers)
    deadline = cancellation_deadline(first_day, tz_name, tiers=checked)
    received_on = local_date(at, tz_name)
    n = (first_day - received_on).days
    head = f"received {received_on}, {n} days before the first day {first_day}"

    if n < 0:
        reason = f"received {received_on}, the session starts {first_day}:"
        reason += " it can no longer be cancelled or rescheduled"
        return CancellationQuote(deadline, n, False, False, 0, 0, price, reason)
    tier = tier_for(n, checked)
    if tier is None:
        reason = f"{head}, by the deadline {_deadline_text(deadline)}: free"
        return CancellationQuote(deadline, n, True, True, 0, 0, price, reason)
    fee = fee_for(price, tier.percent)
    reason = (
        f"{head}, after the deadline {_deadline_text(deadline)}:"
        f" {tier.percent}% of {format_yen(price)} = {format_yen(fee)}"
    )
    return CancellationQuote(deadline, n, True, tier.percent == 0, tier.percent, fee, price, reason)


# --------------------------------------------------------------------------- booking


def booking_price(pricing: str, unit_price: int, attendees: int) -> int:
    """The booking price in yen.

    ``"per_attendee"``: unit price x attendees. ``"dedicated"``: a flat price for
    a session dedicated to one organisation, whatever the head count.
    ``attendees`` must be >= 1 either way.
    """
    _require_int(unit_price, "unit_price")
    _require_int(attendees, "attendees", minimum=1)
    if pricing == PER_ATTENDEE:
        return unit_price * attendees
    if pricing == DEDICATED:
        return unit_price
    raise ValueError(f"pricing must be one of {', '.join(PRICINGS)}, got {pricing!r}")


@dataclass(frozen=True)
class BookingCheck:
    """Whether a session may be booked under a contract, with a warning flag and why."""

    allowed: bool
    warning: bool
    reason: str


def booking_within_contract(
    session_start: date,
    session_end: date,
    contract_start: date,
    contract_end: date,
    today: date,
) -> BookingCheck:
    """Check a booking against the contract term ``[contract_start, contract_end]``.

    The whole session (first to last day, inclusive) must fall inside the
    term, otherwise the booking is refused. An allowed booking is warned about
    when it is made fewer than 60 days before the contract ends, precisely when
    ``(contract_end - today).days < 60``: 59 days warns, 60 does not.
    ``today`` is the booking date in the organisation's zone (see ``local_date``).
    """
    for name, value in (
        ("session_start", session_start),
        ("session_end", session_end),
        ("contract_start", contract_start),
        ("contract_end", contract_end),
        ("today", today),
    ):
        _require_date(value, name)
    if session_end < session_start:
        raise ValueError(f"session ends {session_end} before it starts {session_start}")
    if contract_end < contract_start:
        raise ValueError(f"contract ends {contract_end} before it starts {contract_start}")

    term = f"the contract term {contract_start} to {contract_end}"
    if session_start < contract_start or session_end > contract_end:
        reason = f"session {session_start} to {session_end} falls outside {term}"
        return BookingCheck(False, False, reason)
    days_left = (contract_end - today).days
    if days_left < CONTRACT_WARNING_DAYS:
        reason = (
            f"within {term}, but booked {days_left} days before the contract ends"
            f" (fewer than {CONTRACT_WARNING_DAYS})"
        )
        return BookingCheck(True, True, reason)
    return BookingCheck(True, False, f"within {term}")
