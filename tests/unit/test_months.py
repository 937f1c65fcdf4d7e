"""The one copy of the month primitives (portal/core/months.py): what a "YYYY-MM" is, and a
month's bounds in the organisation's zone."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.core.months import is_month, month_bounds, month_of, next_month, parse_month


@pytest.mark.parametrize("text", ["2026-12", "0001-01", "9998-12"], ids=["today", "first", "last"])
def test_months_the_portal_counts(text):
    assert is_month(text)
    assert next_month(text) > text or text == "9998-12"


@pytest.mark.parametrize("text", [
    "２０２６-12", "2026-１2", "0000-01", "9999-12", "2026-12\n", " 2026-12", "2026-13", "2026-00",
    "2026-1", "26-12", "", None, 202612,
], ids=["full-width-year", "full-width-month", "year-zero", "year-9999", "newline", "space",
        "month-13", "month-0", "one-digit", "short-year", "empty", "none", "a-number"])
def test_anything_else_is_not_a_month(text):
    assert not is_month(text)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(text)


def test_a_month_is_counted_in_the_organisations_zone():
    assert month_of(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == "2026-12"  # 00:00 JST
    assert month_of(datetime(2026, 11, 30, 15, 0, tzinfo=UTC), "UTC") == "2026-11"
    assert month_bounds("2026-12") == (datetime(2026, 11, 30, 15, tzinfo=UTC),
                                       datetime(2026, 12, 31, 15, tzinfo=UTC))
    assert month_bounds(date(2026, 12, 24)) == month_bounds("2026-12")
    with pytest.raises(ValueError, match="naive"):
        month_of(datetime(2026, 12, 1))
