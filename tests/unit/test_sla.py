"""First-response targets: what the customer is promised and when it is missed."""
from __future__ import annotations

import time as wallclock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.calendar import TWENTY_FOUR_SEVEN, BusinessCalendar
from portal.tickets.sla import (
    KINDS,
    SEVERITIES,
    response_met,
    response_target,
    stored_target,
    time_left,
)

JST = ZoneInfo("Asia/Tokyo")
CAL = BusinessCalendar()
LONG_DAY = BusinessCalendar(closes=time(17, 30))
CLOSED_THURSDAY = BusinessCalendar(closure_days=frozenset({date(2026, 11, 19)}))
H = timedelta(hours=1)
PROPERTY = settings(max_examples=200, deadline=None, database=None)
COMBOS = [("incident", s) for s in SEVERITIES] + [("question", None)]


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


@pytest.mark.parametrize(
    ("kind", "severity", "received", "calendar", "azure", "due", "clock", "reason"),
    [
        ("incident", "B", jst(2026, 11, 20, 16, 30), CAL, False, jst(2026, 11, 24, 10, 30),
         "business", "Severity B: 2 business hours"),
        ("incident", "B", jst(2026, 11, 20, 17, 0), CAL, False, jst(2026, 11, 24, 11, 0),
         "business", "Severity B: 2 business hours"),
        ("incident", "1", jst(2026, 11, 21, 3, 0), CAL, False, jst(2026, 11, 21, 4, 0),
         "24x7", "Severity 1: 1 hour (24x7)"),
        ("incident", "1", jst(2026, 11, 21, 3, 0), CAL, True, jst(2026, 11, 21, 3, 15),
         "24x7", "Severity 1 (Azure component): 15 minutes (24x7)"),
        ("incident", "A", jst(2027, 1, 1, 0, 30), CAL, False, jst(2027, 1, 1, 1, 30),
         "24x7", "Severity A: 1 hour (24x7)"),
        ("incident", "A", jst(2026, 11, 21, 3, 0), CAL, True, jst(2026, 11, 21, 4, 0),
         "24x7", "Severity A: 1 hour (24x7)"),
        ("incident", "C", jst(2026, 4, 28, 16, 0), CAL, False, jst(2026, 4, 30, 12, 0),
         "business", "Severity C: 4 business hours"),
        ("incident", "B", jst(2026, 5, 1, 16, 0), CAL, False, jst(2026, 5, 7, 10, 0),
         "business", "Severity B: 2 business hours"),
        ("incident", "C", jst(2026, 9, 18, 15, 0), CAL, False, jst(2026, 9, 24, 11, 0),
         "business", "Severity C: 4 business hours"),
        ("question", None, jst(2026, 12, 28, 10, 0), CAL, False, jst(2026, 12, 29, 10, 0),
         "business", "Question: 8 business hours"),
        ("question", None, jst(2026, 12, 29, 16, 0), CAL, False, jst(2027, 1, 5, 16, 0),
         "business", "Question: 8 business hours"),
        ("incident", "B", jst(2026, 11, 20, 16, 30), LONG_DAY, False,
         jst(2026, 11, 24, 10, 0), "business", "Severity B: 2 business hours"),
        ("incident", "B", jst(2026, 11, 20, 16, 30), TWENTY_FOUR_SEVEN, False,
         jst(2026, 11, 20, 18, 30), "24x7", "Severity B: 2 hours (24/365 option)"),
        ("question", None, jst(2026, 12, 31, 22, 0), TWENTY_FOUR_SEVEN, False,
         jst(2027, 1, 1, 6, 0), "24x7", "Question: 8 hours (24/365 option)"),
        ("incident", "B", jst(2026, 11, 18, 16, 30), CLOSED_THURSDAY, False,
         jst(2026, 11, 20, 10, 30), "business", "Severity B: 2 business hours"),
    ],
    ids=["B-friday-1630-labor-thanks-monday", "B-friday-17-sharp", "sev1-saturday-night",
         "sev1-azure-15min", "A-new-year-night", "A-azure-flag-no-effect",
         "C-showa-day", "B-golden-week", "C-citizens-holiday", "question-dec-28",
         "question-over-year-end", "B-1730-override", "B-24-365-option",
         "question-24-365-new-year", "B-provider-closure"],
)
def test_response_target_table(kind, severity, received, calendar, azure, due, clock, reason):
    target = response_target(kind, severity, received, calendar, azure_component=azure)
    assert target.due_at == due
    assert target.due_at.tzinfo == JST
    assert target.clock == clock
    assert target.reason == reason
    assert (target.kind, target.severity, target.azure_component) == (kind, severity, azure)


def test_question_hours_is_configurable():
    target = response_target("question", None, jst(2026, 11, 20, 16, 0), CAL, question_hours=4)
    assert target.duration == 4 * H
    assert target.due_at == jst(2026, 11, 24, 12, 0)
    assert target.reason == "Question: 4 business hours"


def test_utc_receipt_gives_deadline_in_organisation_zone():
    received = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # 16:30 JST
    target = response_target("incident", "B", received, CAL)
    assert target.received_at == received and target.received_at.tzinfo == JST
    assert target.due_at == jst(2026, 11, 24, 10, 30)


@pytest.mark.parametrize(
    ("kind", "severity", "extra"),
    [
        ("incident", None, {}),
        ("question", "B", {}),
        ("incident", "D", {}),
        ("incident", "b", {}),
        ("bug", "1", {}),
        ("question", None, {"question_hours": 0}),
        ("question", None, {"question_hours": -8}),
    ],
    ids=["incident-without-severity", "question-with-severity", "unknown-severity",
         "lowercase-severity", "unknown-kind", "zero-question-hours", "negative-question-hours"],
)
def test_invalid_combinations_are_rejected(kind, severity, extra):
    with pytest.raises(ValueError):
        response_target(kind, severity, jst(2026, 11, 20, 10, 0), CAL, **extra)


def test_naive_instants_are_rejected():
    target = response_target("incident", "B", jst(2026, 11, 20, 10, 0), CAL)
    naive = datetime(2026, 11, 20, 10, 0)
    for call in (
        lambda: response_target("incident", "B", naive, CAL),
        lambda: time_left(target, naive, CAL),
        lambda: response_met(target, naive),
    ):
        with pytest.raises(ValueError):
            call()


# ---- time left ---------------------------------------------------------------------

B_FRIDAY = response_target("incident", "B", jst(2026, 11, 20, 16, 30), CAL)  # due Tue 10:30


@pytest.mark.parametrize(
    ("now", "remaining", "missed", "at_risk"),
    [
        (jst(2026, 11, 20, 16, 0), 2 * H, False, False),
        (jst(2026, 11, 20, 16, 45), timedelta(minutes=105), False, False),
        (jst(2026, 11, 23, 12, 0), timedelta(minutes=90), False, False),
        (jst(2026, 11, 24, 10, 0), timedelta(minutes=30), False, True),
        (jst(2026, 11, 24, 10, 30), timedelta(0), False, True),
        (jst(2026, 11, 24, 11, 30), -H, True, False),
        (jst(2026, 11, 25, 10, 30), -8 * H, True, False),
    ],
    ids=["before-receipt-is-full-target", "friday-1645", "holiday-clock-stopped",
         "30-min-left-at-risk", "exactly-due", "1h-overdue", "one-business-day-overdue"],
)
def test_time_left_counts_business_time(now, remaining, missed, at_risk):
    left = time_left(B_FRIDAY, now, CAL)
    assert (left.remaining, left.missed, left.at_risk) == (remaining, missed, at_risk)


def test_time_left_missed_at_closing_time_while_desk_closed():
    target = response_target("incident", "B", jst(2026, 11, 20, 15, 0), CAL)  # due Fri 17:00
    left = time_left(target, jst(2026, 11, 21, 10, 0), CAL)
    assert left.missed and not left.at_risk
    assert left.remaining == timedelta(0)  # no business time has passed since 17:00


def test_time_left_on_24x7_clock_uses_wall_time():
    target = response_target("incident", "1", jst(2026, 11, 21, 3, 0), CAL)
    assert time_left(target, jst(2026, 11, 21, 3, 50), CAL).remaining == timedelta(minutes=10)
    assert time_left(target, jst(2026, 11, 21, 3, 50), CAL).at_risk
    late = time_left(target, jst(2026, 11, 21, 6, 0), CAL)
    assert late.missed and late.remaining == -2 * H


# ---- response met ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (None, None),
        (jst(2026, 11, 20, 16, 40), True),
        (jst(2026, 11, 24, 10, 30), True),
        (datetime(2026, 11, 24, 1, 30, tzinfo=UTC), True),
        (jst(2026, 11, 24, 10, 31), False),
    ],
    ids=["no-reply-yet", "replied-friday", "exactly-on-time", "utc-reply-on-time", "late"],
)
def test_response_met(reply, expected):
    assert response_met(B_FRIDAY, reply) is expected


# ---- scale and properties ----------------------------------------------------------

def test_two_thousand_targets_over_year_end_are_fast():
    start = wallclock.perf_counter()
    for minute in range(2000):
        response_target("question", None, jst(2026, 12, 29, 9, 0) + timedelta(minutes=minute),
                        CAL)
    assert wallclock.perf_counter() - start < 2.0


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([JST, UTC]),
)
calendars = st.sampled_from([CAL, LONG_DAY, CLOSED_THURSDAY, TWENTY_FOUR_SEVEN])
combos = st.sampled_from(COMBOS)


@PROPERTY
@given(combos, instants, calendars, st.booleans())
def test_due_is_never_before_receipt_nor_in_closed_time(combo, received, calendar, azure):
    target = response_target(*combo, received, calendar, azure_component=azure)
    assert target.due_at > target.received_at
    assert target.kind in KINDS
    if target.clock == "business":
        assert calendar.is_open(target.due_at - timedelta(microseconds=1))
    else:
        assert target.due_at - target.received_at == target.duration


@PROPERTY
@given(combos, instants, instants, calendars, st.booleans())
def test_later_receipt_never_gives_earlier_due(combo, a, b, calendar, azure):
    early, late = sorted((a, b))
    first = response_target(*combo, early, calendar, azure_component=azure)
    second = response_target(*combo, late, calendar, azure_component=azure)
    assert first.due_at <= second.due_at


@PROPERTY
@given(combos, instants, calendars)
def test_full_target_is_left_at_receipt_and_nothing_at_due(combo, received, calendar):
    target = response_target(*combo, received, calendar)
    assert time_left(target, target.received_at, calendar).remaining == target.duration
    assert time_left(target, target.due_at, calendar).remaining == timedelta(0)
    assert response_met(target, target.due_at) is True


def test_stored_target_keeps_the_deadline_it_is_given():
    received = datetime(2026, 11, 24, 9, 30, tzinfo=JST)
    computed = response_target("incident", "B", received, CAL)
    closed_today = CAL.with_options(closure_days=frozenset({date(2026, 11, 24)}))
    stored = stored_target("incident", "B", received, computed.due_at, closed_today)
    assert stored.due_at == computed.due_at == datetime(2026, 11, 24, 11, 30, tzinfo=JST)
    assert (stored.duration, stored.clock) == (computed.duration, computed.clock)
    assert time_left(stored, datetime(2026, 11, 24, 12, 0, tzinfo=JST), closed_today).missed
