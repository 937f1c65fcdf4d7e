"""Monthly request allowance and overage billing.

Pure rules, no I/O: every function takes the instants it needs as arguments and
never reads the clock, so the same inputs always give the same answer.

The rules:

* Counted requests are the Q&A and incident requests a customer files.
  Requests the provider opens itself, and backup-service requests, are not
  counted; the caller says so with ``counted=False``.
* A request belongs to the calendar month, in the organisation's time zone,
  of its receipt time ("YYYY-MM").
* A contract includes ``included`` requests a month (5 by default). Within a
  month the counted, non-voided requests are ranked by receipt time, ties broken
  by id. Rank <= included is within the allowance; a higher rank is overage,
  billed at the unit price (whole yen, tax excluded). Voided requests leave the
  ranking and the later ones move up.
* The month's overage fee is ``max(0, counted - included) * unit_price``, and a
  month with overage suggests a contract review for the next month.
* Before filing, the next counted request is admitted with rank ``n + 1``. If
  that is overage it needs an explicit acknowledgement, unless it is an
  incident of severity "1" or "A": those are never held back, they are accepted
  at once, marked overage, and the administrator is notified.

Money is always an ``int`` number of yen, never a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from portal.core.money import format_yen
from portal.core.months import (  # noqa: F401  (the month helpers, re-exported for callers)
    DEFAULT_ZONE,
    month_bounds,
    month_of,
    next_month,
    parse_month,
    previous_months,
    require_aware,
)

DEFAULT_TZ = DEFAULT_ZONE
DEFAULT_INCLUDED = 5

INCIDENT = "incident"
QUESTION = "question"
# Severities of an incident that are never held back for acknowledgement.
URGENT_SEVERITIES = frozenset({"1", "A"})


def _require_count(value: int, name: str) -> int:
    """Return ``value`` if it is a non-negative int (bools and floats refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


# --------------------------------------------------------------------------- usage


@dataclass(frozen=True)
class RequestFact:
    """What the ranking needs to know about one request.

    ``counted`` is False for provider-opened and backup-service requests.
    """

    id: int
    received_at: datetime
    counted: bool = True
    voided: bool = False

    def __post_init__(self) -> None:
        require_aware(self.received_at, "received_at")


@dataclass(frozen=True)
class RankedRequest:
    """One request's place in its month; ``rank`` is None when it is not ranked."""

    id: int
    received_at: datetime
    rank: int | None
    overage: bool
    voided: bool
    counted: bool
    reason: str


@dataclass(frozen=True)
class MonthUsage:
    """A month's allowance use: counts, fee, review flag and every request ranked."""

    month: str
    included: int
    counted: int
    overage_count: int
    unit_price: int
    overage_fee: int
    review_suggested: bool
    requests: tuple[RankedRequest, ...]

    @property
    def remaining(self) -> int:
        """Requests still within the allowance this month (never negative)."""
        return max(0, self.included - self.counted)

    @property
    def review_month(self) -> str | None:
        """The month for which a contract review is suggested, if any."""
        return next_month(self.month) if self.review_suggested else None

    @property
    def reason(self) -> str:
        """One line explaining the month, e.g. for a usage page."""
        text = f"{self.counted} counted of {self.included} included"
        if self.overage_count:
            text += (
                f": {self.overage_count} overage x {format_yen(self.unit_price)}"
                f" = {format_yen(self.overage_fee)} (tax excluded);"
                f" review suggested for {self.review_month}"
            )
        return text


def overage_fee(counted: int, included: int, unit_price: int) -> int:
    """Return the month's overage fee in yen: ``max(0, counted - included) * unit_price``."""
    _require_count(counted, "counted")
    _require_count(included, "included")
    _require_count(unit_price, "unit_price")
    return max(0, counted - included) * unit_price


def rank_reason(rank: int, included: int) -> str:
    """Explain a rank, e.g. "request 6 of 5 included: overage"."""
    text = f"request {rank} of {included} included"
    return f"{text}: overage" if rank > included else text


def _rank_one(fact: RequestFact, rank: int | None, included: int) -> RankedRequest:
    """Build the RankedRequest for ``fact`` given its rank (None = unranked)."""
    if fact.voided:
        reason, overage = "voided: removed from the ranking", False
    elif not fact.counted:
        reason, overage = "not counted toward the monthly allowance", False
    else:
        reason, overage = rank_reason(rank, included), rank > included
    return RankedRequest(
        id=fact.id,
        received_at=fact.received_at,
        rank=rank,
        overage=overage,
        voided=fact.voided,
        counted=fact.counted,
        reason=reason,
    )


def _check_month_facts(month: str, facts: list[RequestFact], tz_name: str) -> None:
    """Refuse requests from another month and duplicate ids: both are caller bugs."""
    seen: set[int] = set()
    for fact in facts:
        if fact.id in seen:
            raise ValueError(f"request id {fact.id} appears twice")
        seen.add(fact.id)
        actual = month_of(fact.received_at, tz_name)
        if actual != month:
            raise ValueError(
                f"request {fact.id} received {fact.received_at.isoformat()} is in {actual},"
                f" not {month} ({tz_name})"
            )


def month_usage(
    month: str,
    requests: Iterable[RequestFact],
    included: int = DEFAULT_INCLUDED,
    unit_price: int = 0,
    *,
    tz_name: str = DEFAULT_TZ,
) -> MonthUsage:
    """Rank one organisation's requests of ``month`` and total the overage.

    The caller passes exactly that month's requests (all of them, voided and
    uncounted included, so the page can list them); a request from another
    month raises ValueError. Counted, non-voided requests are ranked by
    ``(received_at, id)``; the others get rank None. ``requests`` in the result
    are in receipt order.
    """
    parse_month(month)
    _require_count(included, "included")
    _require_count(unit_price, "unit_price")
    facts = sorted(requests, key=lambda fact: (fact.received_at, fact.id))
    _check_month_facts(month, facts, tz_name)

    ranked: list[RankedRequest] = []
    rank = 0
    for fact in facts:
        if fact.counted and not fact.voided:
            rank += 1
            ranked.append(_rank_one(fact, rank, included))
        else:
            ranked.append(_rank_one(fact, None, included))

    overage_count = max(0, rank - included)
    return MonthUsage(
        month=month,
        included=included,
        counted=rank,
        overage_count=overage_count,
        unit_price=unit_price,
        overage_fee=overage_fee(rank, included, unit_price),
        review_suggested=overage_count > 0,
        requests=tuple(ranked),
    )


# --------------------------------------------------------------------------- admission


@dataclass(frozen=True)
class Admission:
    """The answer before filing: where the new request would rank and what it costs."""

    rank: int | None
    overage: bool
    needs_acknowledgement: bool
    notify_admin: bool
    fee: int
    reason: str


def is_urgent(kind: str, severity: str | None) -> bool:
    """True for an incident of severity "1" or "A" (case and spaces ignored)."""
    if str(kind).strip().lower() != INCIDENT or severity is None:
        return False
    return str(severity).strip().upper() in URGENT_SEVERITIES


def admission(
    already_counted: int,
    included: int,
    unit_price: int,
    *,
    kind: str,
    severity: str | None,
    counted: bool = True,
) -> Admission:
    """Decide how a new request is admitted, given the month's counted requests so far.

    ``already_counted`` is the number of counted, non-voided requests the
    organisation already has this month; the new one gets rank
    ``already_counted + 1``. Overage needs an explicit acknowledgement, except
    for urgent incidents (severity "1"/"A"), which are accepted at once, still
    marked overage and billed, and flagged ``notify_admin``. Uncounted requests
    (provider-opened, backup service) have no rank and are never overage.
    """
    _require_count(already_counted, "already_counted")
    _require_count(included, "included")
    _require_count(unit_price, "unit_price")
    if not counted:
        return Admission(None, False, False, False, 0, "not counted toward the monthly allowance")

    rank = already_counted + 1
    reason = rank_reason(rank, included)
    if rank <= included:
        return Admission(rank, False, False, False, 0, reason)
    fee_text = f"{format_yen(unit_price)} (tax excluded)"
    if is_urgent(kind, severity):
        reason += f" {fee_text}; severity {str(severity).strip().upper()} incident accepted"
        return Admission(rank, True, False, True, unit_price, reason + " at once, admin notified")
    reason += f" {fee_text}; needs acknowledgement"
    return Admission(rank, True, True, False, unit_price, reason)
