"""Outbrief rules (services description 2.3, rules.md "Outbriefs and service plans").

Pure Python: no Flask, no database, the day is always an argument.

- An outbrief is due 10 calendar days after the last day of its engagement.
- Statuses: draft -> delivered -> accepted / declined. Staff deliver; the customer decides.
- Overdue is derived: an outbrief still a draft after its due date is overdue. A delivered,
  accepted or declined one is not (a late delivery is noted, but the obligation is met).
- When the customer declines, the obligation lapses: it is never overdue again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DELIVERY_DAYS = 10

DRAFT = "draft"
DELIVERED = "delivered"
ACCEPTED = "accepted"
DECLINED = "declined"
STATUSES = (DRAFT, DELIVERED, ACCEPTED, DECLINED)
CUSTOMER_VISIBLE = (DELIVERED, ACCEPTED, DECLINED)
RISKS = ("high", "medium", "low")
KINDS = ("incident_response", "assessment", "security_exercise", "other")

_TRANSITIONS = {
    DRAFT: (DELIVERED,),
    DELIVERED: (ACCEPTED, DECLINED),
    ACCEPTED: (),
    DECLINED: (),
}


@dataclass(frozen=True)
class Obligation:
    """Where the delivery obligation of one outbrief stands on a given day, and why."""

    due_on: date
    overdue: bool
    lapsed: bool
    days_overdue: int
    delivered_late: bool
    reason: str


def due_on(engagement_end: date) -> date:
    """The last day to deliver: 10 calendar days after the engagement's last day."""
    return engagement_end + timedelta(days=DELIVERY_DAYS)


def obligation(engagement_end: date, status: str, today: date,
               delivered_on: date | None = None) -> Obligation:
    """The delivery obligation of an outbrief in `status` as seen on `today`."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    due = due_on(engagement_end)
    late = delivered_on is not None and delivered_on > due
    if status == DECLINED:
        return Obligation(due, False, True, 0, late, "declined by the customer: obligation lapsed")
    if status != DRAFT:
        reason = f"delivered after the due date {due}" if late else "delivered"
        return Obligation(due, False, False, 0, late, reason)
    if today > due:
        days = (today - due).days
        return Obligation(due, True, False, days, False, f"not delivered, {days} day(s) past {due}")
    return Obligation(due, False, False, 0, False, f"draft, due on {due}")


def can_change(current: str, new: str) -> bool:
    """Whether the status may move from `current` to `new`."""
    return new in _TRANSITIONS.get(current, ())


def missing_for_delivery(summary: str, findings: int, recommendations: int) -> tuple[str, ...]:
    """What an outbrief still lacks before it can be delivered (empty when complete).

    An outbrief holds a summary of key findings, a risk assessment (the findings with their
    risk) and recommendations; a draft may be saved without them, a delivery may not.
    """
    missing = []
    if not summary.strip():
        missing.append("summary")
    if findings < 1:
        missing.append("findings")
    if recommendations < 1:
        missing.append("recommendations")
    return tuple(missing)
