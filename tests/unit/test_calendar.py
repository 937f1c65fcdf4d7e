"""Business calendar: opening hours, Japanese holidays, year-end and provider closures."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import japanese_holidays as kept
from portal.core.calendar import (
    TWENTY_FOUR_SEVEN,
    BusinessCalendar,
    japanese_holidays,
    library_holidays,
)

JST = ZoneInfo("Asia/Tokyo")
CAL = BusinessCalendar()
LONG_DAY = BusinessCalendar(closes=time(17, 30))
H = timedelta(hours=1)
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


# ---- holidays library --------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 29), "昭和の日"),
        (date(2026, 5, 3), "憲法記念日"),
        (date(2026, 5, 4), "みどりの日"),
        (date(2026, 5, 5), "こどもの日"),
        (date(2026, 5, 6), "振替休日"),
        (date(2026, 9, 21), "敬老の日"),
        (date(2026, 9, 22), "国民の休日"),
        (date(2026, 9, 23), "秋分の日"),
        (date(2026, 11, 23), "勤労感謝の日"),
    ],
    ids=["showa", "constitution", "greenery", "children", "substitute-5-6",
         "respect-aged", "citizens-9-22", "autumn-equinox", "labor-thanks"],
)
def test_japanese_holidays_include_substitute_and_citizens_days(day, name):
    assert japanese_holidays(day.year)[day] == name
    assert CAL.closed_reason(day) == f"holiday:{name}"
    assert not CAL.is_business_day(day)


def test_the_kept_holidays_are_the_librarys_every_year():
    """The days the portal keeps (portal/core/japanese_holidays.py) are the library's, so due
    times do not change with where a holiday was read. After upgrading `holidays`, a failure
    here means a holiday moved: run scripts/japanese_holidays.py."""
    for year in range(kept.FIRST_YEAR, kept.LAST_YEAR + 1):
        assert dict(japanese_holidays(year)) == library_holidays(year), year


def test_years_beyond_the_kept_ones_come_from_the_library():
    assert japanese_holidays(kept.LAST_YEAR + 1)[date(kept.LAST_YEAR + 1, 1, 1)] == "元日"
    assert japanese_holidays(kept.FIRST_YEAR - 1)[date(kept.FIRST_YEAR - 1, 1, 1)] == "元日"


def test_holiday_lookup_is_cached_and_read_only():
    assert japanese_holidays(2026) is japanese_holidays(2026)
    with pytest.raises(TypeError):
        japanese_holidays(2026)[date(2026, 6, 1)] = "invented"  # type: ignore[index]
    assert all(day.year == 2026 for day in japanese_holidays(2026))


# ---- days ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("calendar", "day", "reason"),
    [
        (CAL, date(2026, 11, 20), None),
        (CAL, date(2026, 11, 21), "weekend"),
        (CAL, date(2026, 11, 22), "weekend"),
        (CAL, date(2026, 12, 29), None),
        (CAL, date(2026, 12, 30), "year_end"),
        (CAL, date(2027, 1, 1), "year_end"),
        (CAL, date(2027, 1, 4), "year_end"),
        (CAL, date(2027, 1, 5), None),
        (BusinessCalendar(closure_days=frozenset({date(2026, 11, 19)})), date(2026, 11, 19),
         "closure"),
        (TWENTY_FOUR_SEVEN, date(2026, 11, 21), None),
        (TWENTY_FOUR_SEVEN, date(2027, 1, 1), None),
    ],
    ids=["friday", "saturday", "sunday", "dec-29-open", "dec-30-closed", "new-year-is-year-end",
         "jan-4-monday-closed", "jan-5-open", "provider-closure", "24x7-weekend",
         "24x7-new-year"],
)
def test_closed_reason(calendar, day, reason):
    assert calendar.closed_reason(day) == reason
    assert calendar.is_business_day(day) is (reason is None)


def test_closure_days_accept_any_iterable_and_stay_hashable():
    cal = BusinessCalendar(closure_days={date(2026, 11, 19)})  # type: ignore[arg-type]
    assert cal.closure_days == frozenset({date(2026, 11, 19)})
    assert hash(cal) == hash(BusinessCalendar(closure_days=frozenset({date(2026, 11, 19)})))


# ---- instants ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("calendar", "instant", "expected"),
    [
        (CAL, jst(2026, 11, 20, 8, 59, 59), False),
        (CAL, jst(2026, 11, 20, 9, 0), True),
        (CAL, jst(2026, 11, 20, 16, 59, 59), True),
        (CAL, jst(2026, 11, 20, 17, 0), False),
        (CAL, datetime(2026, 11, 20, 0, 0, tzinfo=UTC), True),
        (CAL, jst(2026, 11, 23, 10, 0), False),
        (LONG_DAY, jst(2026, 11, 20, 17, 15), True),
        (LONG_DAY, jst(2026, 11, 20, 17, 30), False),
        (TWENTY_FOUR_SEVEN, jst(2027, 1, 1, 3, 0), True),
    ],
    ids=["before-9", "at-9", "last-second", "at-17-closed", "utc-input", "holiday",
         "1730-override-open", "1730-override-closed", "24x7-night"],
)
def test_is_open(calendar, instant, expected):
    assert calendar.is_open(instant) is expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (jst(2026, 11, 20, 10, 0), jst(2026, 11, 20, 10, 0)),
        (jst(2026, 11, 20, 7, 0), jst(2026, 11, 20, 9, 0)),
        (jst(2026, 11, 20, 17, 0), jst(2026, 11, 24, 9, 0)),
        (jst(2026, 12, 29, 18, 0), jst(2027, 1, 5, 9, 0)),
        (jst(2026, 5, 1, 17, 0), jst(2026, 5, 7, 9, 0)),
        (datetime(2026, 11, 20, 1, 0, tzinfo=UTC), jst(2026, 11, 20, 10, 0)),
    ],
    ids=["open-now", "early-morning", "friday-close-over-holiday", "year-end",
         "golden-week", "utc-input"],
)
def test_next_opening(instant, expected):
    got = CAL.next_opening(instant)
    assert got == expected
    assert got.tzinfo == JST


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "due"),
    [
        (CAL, jst(2026, 11, 20, 16, 30), 2 * H, jst(2026, 11, 24, 10, 30)),
        (CAL, jst(2026, 11, 20, 17, 0), 2 * H, jst(2026, 11, 24, 11, 0)),
        (CAL, jst(2026, 11, 20, 15, 0), 2 * H, jst(2026, 11, 20, 17, 0)),
        (CAL, jst(2026, 12, 28, 10, 0), 8 * H, jst(2026, 12, 29, 10, 0)),
        (CAL, jst(2026, 12, 29, 16, 0), 8 * H, jst(2027, 1, 5, 16, 0)),
        (CAL, jst(2026, 4, 28, 16, 0), 4 * H, jst(2026, 4, 30, 12, 0)),
        (CAL, jst(2026, 5, 1, 16, 0), 2 * H, jst(2026, 5, 7, 10, 0)),
        (CAL, jst(2026, 9, 18, 16, 0), 2 * H, jst(2026, 9, 24, 10, 0)),
        (LONG_DAY, jst(2026, 11, 20, 16, 30), 2 * H, jst(2026, 11, 24, 10, 0)),
        (LONG_DAY, jst(2026, 12, 29, 16, 0), 8 * H, jst(2027, 1, 5, 15, 30)),
        (BusinessCalendar(closure_days=frozenset({date(2026, 11, 19)})),
         jst(2026, 11, 18, 16, 30), 2 * H, jst(2026, 11, 20, 10, 30)),
        (TWENTY_FOUR_SEVEN, jst(2026, 11, 20, 16, 30), 2 * H, jst(2026, 11, 20, 18, 30)),
        (CAL, jst(2026, 11, 21, 12, 0), timedelta(0), jst(2026, 11, 24, 9, 0)),
    ],
    ids=["friday-1630-over-labor-thanks", "friday-17-sharp", "ends-exactly-at-close",
         "dec-28-question", "over-year-end", "showa-day", "golden-week", "citizens-holiday",
         "1730-override", "1730-over-year-end", "provider-closure", "24x7", "zero-duration"],
)
def test_add_business_time(calendar, start, duration, due):
    got = calendar.add_business_time(start, duration)
    assert got == due
    assert got.tzinfo == JST


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (jst(2026, 11, 20, 16, 30), jst(2026, 11, 24, 10, 30), 2 * H),
        (jst(2026, 11, 24, 10, 30), jst(2026, 11, 20, 16, 30), -2 * H),
        (jst(2026, 11, 21, 0, 0), jst(2026, 11, 23, 23, 0), timedelta(0)),
        (jst(2026, 12, 29, 9, 0), jst(2027, 1, 5, 17, 0), 16 * H),
    ],
    ids=["over-weekend-and-holiday", "overdue-is-negative", "all-closed", "year-end"],
)
def test_business_time_between(start, end, expected):
    assert CAL.business_time_between(start, end) == expected


def test_twenty_four_seven_counts_wall_time_across_zones():
    start = jst(2026, 11, 21, 3, 0)
    assert TWENTY_FOUR_SEVEN.business_time_between(start, datetime(2026, 11, 20, 19, 0,
                                                                  tzinfo=UTC)) == H


def test_one_day_target_resumes_after_long_provider_closure():
    cal = BusinessCalendar(closure_days=frozenset(
        date(2027, 1, 5) + timedelta(days=n) for n in range(300)))
    assert cal.add_business_time(jst(2026, 12, 29, 17, 0), 8 * H) == jst(2027, 11, 1, 17, 0)


def test_dst_zone_counts_real_elapsed_time():
    london = BusinessCalendar(tz_name="Europe/London", always_open=True)
    start = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    due = london.add_business_time(start, 24 * H)
    assert due.hour == 13  # clocks went forward on 2026-03-29


# ---- validation ------------------------------------------------------------------

@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_open(datetime(2026, 11, 20, 10)),
        lambda: CAL.next_opening(datetime(2026, 11, 20, 10)),
        lambda: CAL.add_business_time(datetime(2026, 11, 20, 10), H),
        lambda: CAL.business_time_between(datetime(2026, 11, 20, 10), jst(2026, 11, 20, 11)),
        lambda: CAL.business_time_between(jst(2026, 11, 20, 10), datetime(2026, 11, 20, 11)),
        lambda: CAL.add_business_time(jst(2026, 11, 20, 10), -H),
        lambda: BusinessCalendar(opens=time(17, 0), closes=time(9, 0)),
        lambda: BusinessCalendar(opens=time(9, 0), closes=time(9, 0)),
    ],
    ids=["is_open-naive", "next_opening-naive", "add-naive", "between-naive-start",
         "between-naive-end", "negative-duration", "opens-after-closes", "empty-day"],
)
def test_rejects_invalid_input(call):
    with pytest.raises(ValueError):
        call()


def test_rejects_datetime_where_a_date_is_expected():
    with pytest.raises(TypeError):
        CAL.is_business_day(jst(2026, 5, 6, 10, 0))  # type: ignore[arg-type]


# ---- properties --------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([JST, UTC]),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=40))
calendars = st.sampled_from([CAL, LONG_DAY, TWENTY_FOUR_SEVEN])


@PROPERTY
@given(calendars, instants, durations)
def test_due_is_never_before_start_and_never_inside_closed_time(calendar, start, duration):
    due = calendar.add_business_time(start, duration)
    assert due >= start
    if duration:
        assert calendar.is_open(due - timedelta(microseconds=1))
    else:
        assert due == calendar.next_opening(start) and calendar.is_open(due)


@PROPERTY
@given(calendars, instants, instants, durations)
def test_later_start_never_gives_earlier_due(calendar, a, b, duration):
    early, late = sorted((a, b))
    assert calendar.add_business_time(early, duration) <= calendar.add_business_time(
        late, duration)


@PROPERTY
@given(calendars, instants, durations)
def test_business_time_between_inverts_add(calendar, start, duration):
    start = calendar.next_opening(start)
    due = calendar.add_business_time(start, duration)
    assert calendar.business_time_between(start, due) == duration
    assert calendar.business_time_between(due, start) == -duration


# ---- business days (reminder, auto-close) ---------------------------------------------------

@pytest.mark.parametrize(
    ("calendar", "day", "count", "expected"),
    [
        (CAL, date(2026, 11, 16), 5, date(2026, 11, 24)),  # 23 Nov 勤労感謝の日 skipped
        (CAL, date(2026, 11, 16), 3, date(2026, 11, 19)),
        (CAL, date(2026, 11, 20), 3, date(2026, 11, 26)),  # weekend and holiday
        (CAL, date(2026, 11, 21), 1, date(2026, 11, 24)),  # from a Saturday
        (CAL, date(2026, 12, 29), 1, date(2027, 1, 5)),  # year-end days 30 Dec – 4 Jan
        (BusinessCalendar(closure_days={date(2026, 11, 24)}), date(2026, 11, 16), 5,
         date(2026, 11, 25)),
        (TWENTY_FOUR_SEVEN, date(2026, 11, 16), 5, date(2026, 11, 21)),
        (CAL, date(2026, 11, 16), 0, date(2026, 11, 16)),
    ],
    ids=["five-over-holiday", "three", "three-over-weekend-and-holiday", "from-saturday",
         "year-end", "closure-day", "24-365-every-day", "zero"],
)
def test_add_business_days(calendar, day, count, expected):
    assert calendar.add_business_days(day, count) == expected


def test_business_days_later_keeps_the_local_time_of_day():
    resolved = jst(2026, 11, 16, 15, 0).astimezone(UTC)
    assert CAL.business_days_later(resolved, 5) == jst(2026, 11, 24, 15, 0)


@PROPERTY
@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=1, max_value=30))
def test_the_nth_business_day_is_a_business_day_after_n_minus_one_others(day, count):
    found = CAL.add_business_days(day, count)
    between = [day + timedelta(days=i) for i in range(1, (found - day).days)]
    assert CAL.is_business_day(found)
    assert sum(CAL.is_business_day(d) for d in between) == count - 1
