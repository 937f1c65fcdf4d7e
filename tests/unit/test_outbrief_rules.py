"""Unit tests for portal.documents.rules: due date, overdue, lapse, transitions, completeness."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.documents import rules

END = date(2026, 11, 20)  # last day of the engagement


@pytest.mark.parametrize(
    ("engagement_end", "due"),
    [
        (date(2026, 11, 20), date(2026, 11, 30)),
        (date(2026, 12, 25), date(2027, 1, 4)),  # calendar days: the year-end closure counts
        (date(2028, 2, 25), date(2028, 3, 6)),  # leap year
        (date(2026, 11, 21), date(2026, 12, 1)),  # a Saturday: weekends count too
    ],
    ids=["plain", "over-new-year", "leap-year", "weekend-end"],
)
def test_due_ten_calendar_days_after_the_last_day(engagement_end, due):
    assert rules.due_on(engagement_end) == due


@pytest.mark.parametrize(
    ("status", "today", "delivered_on", "overdue", "lapsed", "late", "days"),
    [
        ("draft", date(2026, 11, 25), None, False, False, False, 0),
        ("draft", date(2026, 11, 30), None, False, False, False, 0),  # the due day itself
        ("draft", date(2026, 12, 1), None, True, False, False, 1),
        ("draft", date(2026, 12, 10), None, True, False, False, 10),
        ("delivered", date(2026, 12, 10), date(2026, 11, 28), False, False, False, 0),
        ("delivered", date(2026, 12, 10), date(2026, 12, 2), False, False, True, 0),
        ("accepted", date(2027, 1, 10), date(2026, 11, 30), False, False, False, 0),
        ("declined", date(2027, 1, 10), date(2026, 11, 29), False, True, False, 0),
    ],
    ids=["draft-in-time", "draft-on-due-day", "draft-one-day-late", "draft-ten-days-late",
         "delivered-in-time", "delivered-late", "accepted", "declined-lapses"],
)
def test_obligation(status, today, delivered_on, overdue, lapsed, late, days):
    result = rules.obligation(END, status, today, delivered_on)
    assert (result.overdue, result.lapsed, result.delivered_late, result.days_overdue) == (
        overdue, lapsed, late, days)
    assert result.due_on == date(2026, 11, 30)
    assert result.reason


def test_overdue_reason_explains_the_lateness():
    result = rules.obligation(END, "draft", date(2026, 12, 3))
    assert result.reason == "not delivered, 3 day(s) past 2026-11-30"


def test_declined_is_never_overdue_even_long_after():
    assert not rules.obligation(END, "declined", date(2030, 1, 1)).overdue


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status"):
        rules.obligation(END, "lost", date(2026, 12, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=-30, max_value=60))
def test_a_draft_is_overdue_exactly_after_the_due_day(end, offset):
    today = end + timedelta(days=offset)
    assert rules.obligation(end, "draft", today).overdue == (offset > rules.DELIVERY_DAYS)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("draft", "delivered", True),
        ("draft", "accepted", False),
        ("delivered", "accepted", True),
        ("delivered", "declined", True),
        ("delivered", "draft", False),
        ("accepted", "declined", False),
        ("declined", "accepted", False),
    ],
    ids=["deliver", "accept-draft", "accept", "decline", "back-to-draft", "accepted-then-declined",
         "declined-then-accepted"],
)
def test_status_transitions(current, new, allowed):
    assert rules.can_change(current, new) is allowed


@pytest.mark.parametrize(
    ("summary", "findings", "recommendations", "missing"),
    [
        ("Key findings", 3, 2, ()),
        ("  ", 3, 2, ("summary",)),
        ("Key findings", 0, 2, ("findings",)),
        ("", 0, 0, ("summary", "findings", "recommendations")),
    ],
    ids=["complete", "blank-summary", "no-findings", "empty"],
)
def test_missing_for_delivery(summary, findings, recommendations, missing):
    assert rules.missing_for_delivery(summary, findings, recommendations) == missing
