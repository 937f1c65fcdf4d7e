"""First-response targets (SLA) for tickets, and how much time is left to meet them.

Pure Python: the table below is the product decision, the arithmetic is delegated
to portal.core.calendar so business hours, holidays and closures live in one place.

| kind     | severity | target                                   | clock    |
|----------|----------|------------------------------------------|----------|
| incident | "1"      | 1 h; 15 min when an Azure component      | 24x7     |
| incident | "A"      | 1 h                                      | 24x7     |
| incident | "B"      | 2 business hours                         | business |
| incident | "C"      | 4 business hours                         | business |
| question | None     | 8 business hours (configurable)          | business |

With the 24/365 option (calendar.always_open) business clocks run 24x7 as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.core.calendar import BusinessCalendar, require_aware

SEVERITIES = ("1", "A", "B", "C")
KINDS = ("question", "incident")
CLOCK_24X7 = "24x7"
CLOCK_BUSINESS = "business"
AT_RISK_FRACTION = 0.25

# severity -> (duration, clock) for incidents; Azure severity 1 is handled separately.
_INCIDENT_TARGETS: dict[str, tuple[timedelta, str]] = {
    "1": (timedelta(hours=1), CLOCK_24X7),
    "A": (timedelta(hours=1), CLOCK_24X7),
    "B": (timedelta(hours=2), CLOCK_BUSINESS),
    "C": (timedelta(hours=4), CLOCK_BUSINESS),
}
_AZURE_SEV1 = timedelta(minutes=15)


@dataclass(frozen=True)
class ResponseTarget:
    """When the first reply to a ticket is due, and why."""

    kind: str
    severity: str | None
    azure_component: bool
    duration: timedelta
    clock: str  # "24x7" | "business"
    received_at: datetime
    due_at: datetime
    reason: str  # short English explanation, e.g. "Severity B: 2 business hours"


@dataclass(frozen=True)
class TimeLeft:
    """Time left before a target is missed (negative or zero once missed)."""

    remaining: timedelta
    missed: bool
    at_risk: bool


def _validate(kind: str, severity: str | None) -> None:
    """Reject combinations the table does not define (they would silently get no SLA)."""
    if kind not in KINDS:
        raise ValueError(f"unknown ticket kind {kind!r}; expected one of {KINDS}")
    if kind == "question" and severity is not None:
        raise ValueError(f"a question has no severity, got {severity!r}")
    if kind == "incident" and severity not in SEVERITIES:
        raise ValueError(f"an incident needs a severity in {SEVERITIES}, got {severity!r}")


def _format_duration(duration: timedelta) -> str:
    """'15 minutes', '1 hour', '2 hours', '1 hour 30 minutes' for reason strings."""
    hours, rest = divmod(int(duration.total_seconds()), 3600)
    minutes = rest // 60
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if minutes or not hours:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    return " ".join(parts)


def _target_rule(
    kind: str, severity: str | None, azure_component: bool, question_hours: int
) -> tuple[timedelta, str, str]:
    """(duration, clock, label) from the table, before the 24/365 option is applied."""
    if kind == "question":
        return timedelta(hours=question_hours), CLOCK_BUSINESS, "Question"
    assert severity is not None  # guaranteed by _validate
    if severity == "1" and azure_component:
        return _AZURE_SEV1, CLOCK_24X7, "Severity 1 (Azure component)"
    duration, clock = _INCIDENT_TARGETS[severity]
    return duration, clock, f"Severity {severity}"


def _reason(label: str, duration: timedelta, clock: str, upgraded: bool) -> str:
    """Human explanation: what target applies and on which clock."""
    if clock == CLOCK_BUSINESS:
        hours = duration / timedelta(hours=1)
        amount = f"{hours:g} business hour" + ("s" if hours != 1 else "")
        return f"{label}: {amount}"
    suffix = " (24/365 option)" if upgraded else " (24x7)"
    return f"{label}: {_format_duration(duration)}{suffix}"


def response_target(
    kind: str,
    severity: str | None,
    received_at: datetime,
    calendar: BusinessCalendar,
    *,
    azure_component: bool = False,
    question_hours: int = 8,
) -> ResponseTarget:
    """Compute the first-response deadline of a ticket received at `received_at`.

    Business clocks count only the calendar's open time (starting at the next opening
    when received while closed); 24x7 clocks count wall time.  The deadline is
    returned in the calendar's zone.
    """
    return _target(kind, severity, received_at, calendar, None, azure_component, question_hours)


def stored_target(
    kind: str,
    severity: str | None,
    received_at: datetime,
    due_at: datetime,
    calendar: BusinessCalendar,
    *,
    azure_component: bool = False,
    question_hours: int = 8,
) -> ResponseTarget:
    """The target of a ticket whose deadline was fixed when it was received (or re-set when its
    severity changed): the same rule and clock, but `due_at` as stored, never recomputed — so
    "time left" and "missed" always agree with the deadline the page shows, even after the
    calendar has changed since."""
    require_aware(due_at, "due_at")
    return _target(kind, severity, received_at, calendar, due_at, azure_component, question_hours)


def _target(kind, severity, received_at, calendar, due_at, azure_component, question_hours):
    require_aware(received_at, "received_at")
    _validate(kind, severity)
    if isinstance(question_hours, bool) or question_hours <= 0:
        raise ValueError(f"question_hours must be a positive number, got {question_hours!r}")
    duration, clock, label = _target_rule(kind, severity, azure_component, question_hours)
    upgraded = clock == CLOCK_BUSINESS and calendar.always_open
    if upgraded:
        clock = CLOCK_24X7
    received_local = received_at.astimezone(calendar.tz)
    if due_at is None:
        due_at = _clock_calendar(clock, calendar).add_business_time(received_local, duration)
    return ResponseTarget(
        kind=kind,
        severity=severity,
        azure_component=azure_component,
        duration=duration,
        clock=clock,
        received_at=received_local,
        due_at=due_at.astimezone(calendar.tz),
        reason=_reason(label, duration, clock, upgraded),
    )


def _clock_calendar(clock: str, calendar: BusinessCalendar) -> BusinessCalendar:
    """The calendar a clock runs on: the contract's, or a 24x7 one in the same zone."""
    if clock == CLOCK_24X7 and not calendar.always_open:
        return calendar.with_options(always_open=True)
    return calendar


def time_left(target: ResponseTarget, now: datetime, calendar: BusinessCalendar) -> TimeLeft:
    """How much of the target is left at `now`.

    `remaining` is business time for business clocks and wall time for 24x7 ones;
    it is negative once missed (zero if the deadline was a closing time and the desk
    has not reopened since).  `missed` compares wall-clock instants.  A `now` before
    receipt is treated as the receipt instant.
    """
    require_aware(now, "now")
    now = max(now.astimezone(UTC), target.received_at.astimezone(UTC))
    clock_calendar = _clock_calendar(target.clock, calendar)
    remaining = clock_calendar.business_time_between(now, target.due_at)
    missed = now > target.due_at
    at_risk = not missed and remaining <= target.duration * AT_RISK_FRACTION
    return TimeLeft(remaining=remaining, missed=missed, at_risk=at_risk)


def response_met(target: ResponseTarget, first_response_at: datetime | None) -> bool | None:
    """True if the first reply came by the deadline (inclusive); None if no reply yet."""
    if first_response_at is None:
        return None
    require_aware(first_response_at, "first_response_at")
    return first_response_at <= target.due_at
