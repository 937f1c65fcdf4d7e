"""Pure pieces of workshops: the .ics file, tier ranges as people read them, JST month ranges."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.core.months import month_bounds as month_range
from portal.workshops.fees import TierRange, tier_ranges
from portal.workshops.ics import CalendarEvent, calendar, escape, fold

STAMP = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)


def _event(**changes) -> CalendarEvent:
    values = {"uid": "workshop-booking-7@portal.example.jp", "summary": "Azure 運用ワークショップ",
              "description": "2 日間", "starts_on": date(2026, 12, 10),
              "ends_on": date(2026, 12, 11), "stamp": STAMP}
    return CalendarEvent(**{**values, **changes})


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "dtend"),
    [(date(2026, 12, 10), date(2026, 12, 11), "20261212"),
     (date(2026, 12, 10), date(2026, 12, 10), "20261211"),
     (date(2026, 12, 31), date(2027, 1, 1), "20270102")],
    ids=["two-days", "one-day", "over-new-year"],
)
def test_all_day_event_end_is_exclusive(starts_on, ends_on, dtend):
    lines = _lines(calendar(_event(starts_on=starts_on, ends_on=ends_on)))
    assert f"DTSTART;VALUE=DATE:{starts_on:%Y%m%d}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines


@pytest.mark.parametrize(
    ("cancelled", "method", "status"),
    [(False, "PUBLISH", "CONFIRMED"), (True, "CANCEL", "CANCELLED")],
    ids=["booked", "cancelled"],
)
def test_method_and_status(cancelled, method, status):
    lines = _lines(calendar(_event(cancelled=cancelled)))
    assert f"METHOD:{method}" in lines and f"STATUS:{status}" in lines
    assert "UID:workshop-booking-7@portal.example.jp" in lines
    assert "DTSTAMP:20261101T010000Z" in lines


def test_file_uses_crlf_and_is_utf8():
    data = calendar(_event())
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert "SUMMARY:Azure 運用ワークショップ" in _lines(data)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a,b;c", "a\\,b\\;c"), ("line\nnext", "line\\nnext"), ("back\\slash", "back\\\\slash"),
     ("crlf\r\nline", "crlf\\nline")],
    ids=["comma-semicolon", "newline", "backslash", "crlf"],
)
def test_escape(text, escaped):
    assert escape(text) == escaped


@pytest.mark.parametrize("text", ["a" * 200, "受講者" * 60, "x" + "日" * 100],
                         ids=["ascii", "japanese", "mixed"])
def test_fold_keeps_lines_within_75_octets_and_characters_whole(text):
    folded = fold(f"DESCRIPTION:{text}")
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == f"DESCRIPTION:{text}"


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        ((), (TierRange(13, 0, 100),)),
        (((13, 50), (3, 100)), (TierRange(13, 4, 50), TierRange(3, 0, 100))),
        (((5, 50),), (TierRange(5, 0, 50),)),
        (((13, 0), (0, 100)), (TierRange(13, 1, 0), TierRange(0, 0, 100))),
    ],
    ids=["default", "two-tiers", "short-tier", "free-then-start-day"],
)
def test_tier_ranges(tiers, expected):
    assert tier_ranges(tiers) == expected


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("2026-11", datetime(2026, 10, 31, 15, tzinfo=UTC), datetime(2026, 11, 30, 15, tzinfo=UTC)),
        ("2026-12", datetime(2026, 11, 30, 15, tzinfo=UTC), datetime(2026, 12, 31, 15, tzinfo=UTC)),
        (date(2027, 2, 14), datetime(2027, 1, 31, 15, tzinfo=UTC), datetime(2027, 2, 28, 15, tzinfo=UTC)),
    ],
    ids=["november-jst", "december-to-january", "a-date-in-february"],
)
def test_month_range_is_the_jst_month(month, start, end):
    assert month_range(month) == (start, end)


@pytest.mark.parametrize("month", ["2026-00", "2026-13", "26-11", "2026-1"],
                         ids=["month-0", "month-13", "short-year", "one-digit-month"])
def test_month_range_refuses_bad_months(month):
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_range(month)
