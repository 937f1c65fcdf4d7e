"""Unit tests for portal.workshops.fees: tiers, the 14-day rule, prices, contract term."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.workshops.fees import (
    DEFAULT_TIERS,
    BookingCheck,
    FeeTier,
    booking_price,
    booking_within_contract,
    cancellation_deadline,
    cancellation_quote,
    effective_tiers,
    fee_for,
    local_date,
    validate_tiers,
)

JST = ZoneInfo("Asia/Tokyo")
D = date(2026, 12, 10)  # first day of the session in the rules.md example
PRICE = 30_000
TIERED = ((13, 50), (3, 100))


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def on_day(n: int, hour: int = 12) -> datetime:
    """An instant on the JST calendar day D - n."""
    return datetime.combine(D - timedelta(days=n), time(hour), tzinfo=JST)


# --------------------------------------------------------------------------- tiers


@pytest.mark.parametrize(
    ("tier", "message"),
    [
        ((13, 101), "percent must be between 0 and 100, got 101"),
        ((13, -1), "percent must be between 0 and 100, got -1"),
        ((14, 50), "days_before must be between 0 and 13, got 14"),
        ((-1, 50), "days_before must be between 0 and 13, got -1"),
        ((13, 50.0), "percent must be a whole number"),
        ((13.0, 50), "days_before must be a whole number"),
        ((True, 50), "days_before must be a whole number"),
        (("13", 50), "days_before must be a whole number"),
    ],
    ids=[
        "percent-101",
        "percent-negative",
        "days-before-14",
        "days-before-negative",
        "percent-float",
        "days-before-float",
        "days-before-bool",
        "days-before-string",
    ],
)
def test_invalid_tier_refused(tier, message):
    with pytest.raises(ValueError, match=message):
        FeeTier(*tier)
    with pytest.raises(ValueError, match=message):
        validate_tiers([tier])


@pytest.mark.parametrize(
    "tier",
    [(0, 0), (0, 100), (13, 0), (13, 100), (7, 33)],
    ids=["zero-zero", "zero-days-full", "thirteen-free", "thirteen-full", "middle"],
)
def test_valid_tier_edges(tier):
    assert validate_tiers([tier]) == (FeeTier(*tier),)


def test_validate_tiers_sorts_and_accepts_mixed_input():
    got = validate_tiers([(13, 50), FeeTier(3, 100), [7, 80]])
    assert got == (FeeTier(3, 100), FeeTier(7, 80), FeeTier(13, 50))


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([(13, 50), (13, 100)], "repeat days_before 13"),
        ([(3, 50), FeeTier(3, 50)], "repeat days_before 3"),
        ([(13,)], r"must be \(days_before, percent\)"),
        ([13], r"must be \(days_before, percent\)"),
        ([(13, 50, 1)], r"must be \(days_before, percent\)"),
    ],
    ids=["duplicate-days", "duplicate-identical", "one-element", "bare-int", "three-elements"],
)
def test_validate_tiers_shape_and_duplicates(tiers, message):
    with pytest.raises(ValueError, match=message):
        validate_tiers(tiers)


def test_no_tiers_means_default():
    assert validate_tiers([]) == ()
    assert effective_tiers() == DEFAULT_TIERS == (FeeTier(13, 100),)
    assert effective_tiers(TIERED) == (FeeTier(3, 100), FeeTier(13, 50))


# --------------------------------------------------------------------------- deadline


def test_deadline_rules_example():
    deadline = cancellation_deadline(D)
    assert deadline == jst(2026, 11, 26, 23, 59, 59, 999999)
    assert deadline.tzinfo == JST
    assert deadline.strftime("%Z") == "JST"


def test_deadline_in_another_zone():
    deadline = cancellation_deadline(D, "UTC")
    assert deadline == datetime(2026, 11, 26, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tiers", "last_free_day"),
    [((), date(2026, 11, 26)), (TIERED, date(2026, 11, 26)), (((5, 50),), date(2026, 12, 4))],
    ids=["default", "tiers-up-to-13", "tiers-up-to-5"],
)
def test_deadline_follows_largest_tier(tiers, last_free_day):
    deadline = cancellation_deadline(D, tiers=tiers)
    assert deadline == datetime.combine(last_free_day, time.max, tzinfo=JST)


@pytest.mark.parametrize(
    "bad",
    [datetime(2026, 12, 10, 9, 0, tzinfo=JST), "2026-12-10"],
    ids=["datetime", "string"],
)
def test_deadline_needs_a_date(bad):
    with pytest.raises(TypeError, match="first_day must be a date"):
        cancellation_deadline(bad)


# --------------------------------------------------------------------------- quote


@pytest.mark.parametrize(
    ("at", "tiers", "allowed", "free", "percent", "fee", "days_before"),
    [
        # rules.md example, default tiers
        (jst(2026, 11, 26, 18, 0), (), True, True, 0, 0, 14),
        (jst(2026, 11, 27, 0, 0), (), True, False, 100, PRICE, 13),
        # exact boundaries around the deadline
        (jst(2026, 11, 26, 23, 59, 59, 999000), (), True, True, 0, 0, 14),
        (jst(2026, 11, 26, 23, 59, 59, 999999), (), True, True, 0, 0, 14),
        (jst(2026, 11, 27, 0, 0, 0, 0), (), True, False, 100, PRICE, 13),
        (jst(2026, 11, 1, 9, 0), (), True, True, 0, 0, 39),
        # same instants written in UTC: the JST calendar day decides
        (datetime(2026, 11, 26, 14, 59, 59, tzinfo=UTC), (), True, True, 0, 0, 14),
        (datetime(2026, 11, 26, 15, 0, 0, tzinfo=UTC), (), True, False, 100, PRICE, 13),
        # the day before, and the start day itself
        (on_day(1), (), True, False, 100, PRICE, 1),
        (jst(2026, 12, 9, 23, 59, 59, 999999), (), True, False, 100, PRICE, 1),
        (jst(2026, 12, 10, 0, 0), (), True, False, 100, PRICE, 0),
        (on_day(0, 23), (), True, False, 100, PRICE, 0),
        (on_day(-3), (), False, False, 0, 0, -3),
        (datetime(2026, 12, 9, 15, 0, tzinfo=UTC), (), True, False, 100, PRICE, 0),
        (datetime(2026, 12, 10, 15, 0, tzinfo=UTC), (), False, False, 0, 0, -1),
        # tiers (13, 50%), (3, 100%): every edge
        (on_day(14), TIERED, True, True, 0, 0, 14),
        (on_day(13), TIERED, True, False, 50, 15_000, 13),
        (on_day(9), TIERED, True, False, 50, 15_000, 9),
        (on_day(4), TIERED, True, False, 50, 15_000, 4),
        (on_day(3), TIERED, True, False, 100, PRICE, 3),
        (on_day(2), TIERED, True, False, 100, PRICE, 2),
        (on_day(1), TIERED, True, False, 100, PRICE, 1),
        (on_day(0), TIERED, True, False, 100, PRICE, 0),
        (on_day(-1), TIERED, False, False, 0, 0, -1),
        # a tier that stops short of 13 days: free before it
        (on_day(6), ((5, 50),), True, True, 0, 0, 6),
        (on_day(5), ((5, 50),), True, False, 50, 15_000, 5),
        # a 0% tier: allowed, within a tier, but free
        (on_day(10), ((13, 0), (5, 100)), True, True, 0, 0, 10),
        (on_day(5), ((13, 0), (5, 100)), True, False, 100, PRICE, 5),
    ],
    ids=[
        "example-nov-26-18h-free",
        "example-nov-27-00h-late-fee",
        "d-14-23-59-59-999-free",
        "d-14-last-microsecond-free",
        "d-13-midnight-fee",
        "long-before-free",
        "utc-14-59-59-is-jst-d-14-free",
        "utc-15-00-is-jst-d-13-fee",
        "day-before-start-fee",
        "last-microsecond-before-start-fee",
        "start-day-midnight-full-fee",
        "start-day-evening-full-fee",
        "after-start-not-allowed",
        "utc-dec-9-15h-is-start-day-full-fee",
        "utc-dec-10-15h-is-day-after-start-not-allowed",
        "tiers-d-14-free",
        "tiers-d-13-50",
        "tiers-d-9-50",
        "tiers-d-4-50",
        "tiers-d-3-100",
        "tiers-d-2-100",
        "tiers-d-1-100",
        "tiers-start-day-100",
        "tiers-day-after-start-not-allowed",
        "short-tier-d-6-free",
        "short-tier-d-5-50",
        "zero-percent-tier-free",
        "zero-percent-tier-then-100",
    ],
)
def test_cancellation_quote_table(at, tiers, allowed, free, percent, fee, days_before):
    quote = cancellation_quote(D, PRICE, at, tiers)
    got = (quote.allowed, quote.free, quote.percent, quote.fee, quote.days_before)
    assert got == (allowed, free, percent, fee, days_before)
    assert quote.price == PRICE
    assert quote.deadline == cancellation_deadline(D, tiers=tiers)


@pytest.mark.parametrize(
    ("at", "tiers", "reason"),
    [
        (
            jst(2026, 11, 26, 18, 0),
            (),
            "received 2026-11-26, 14 days before the first day 2026-12-10,"
            " by the deadline 2026-11-26 23:59 JST: free",
        ),
        (
            jst(2026, 11, 27, 0, 0),
            (),
            "received 2026-11-27, 13 days before the first day 2026-12-10,"
            " after the deadline 2026-11-26 23:59 JST: 100% of ¥30,000 = ¥30,000",
        ),
        (
            on_day(9),
            TIERED,
            "received 2026-12-01, 9 days before the first day 2026-12-10,"
            " after the deadline 2026-11-26 23:59 JST: 50% of ¥30,000 = ¥15,000",
        ),
        (
            jst(2026, 12, 11, 8, 0),
            (),
            "received 2026-12-11, the session starts 2026-12-10:"
            " it can no longer be cancelled or rescheduled",
        ),
    ],
    ids=["free", "late-fee", "tier-50", "not-allowed"],
)
def test_cancellation_quote_reasons(at, tiers, reason):
    assert cancellation_quote(D, PRICE, at, tiers).reason == reason


@pytest.mark.parametrize(
    ("price", "tiers", "expected"),
    [
        (33_333, ((13, 50),), 16_667),
        (33_332, ((13, 50),), 16_666),
        (100, ((13, 33),), 33),
        (50, ((13, 1),), 1),
        (49, ((13, 1),), 0),
        (1, ((13, 50),), 1),
        (33_333, ((13, 100),), 33_333),
        (0, ((13, 100),), 0),
    ],
    ids=[
        "half-of-33333-rounds-up",
        "half-of-33332-exact",
        "33-percent",
        "half-yen-rounds-up",
        "below-half-rounds-down",
        "one-yen-half",
        "full-price",
        "zero-price",
    ],
)
def test_fee_rounding(price, tiers, expected):
    quote = cancellation_quote(D, price, on_day(10), tiers)
    assert quote.fee == expected
    assert isinstance(quote.fee, int)


def test_quote_naive_datetime_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        cancellation_quote(D, PRICE, datetime(2026, 11, 26, 18, 0))


@pytest.mark.parametrize(
    ("price", "error"),
    [(-1, ValueError), (100.0, TypeError)],
    ids=["negative-price", "float-price"],
)
def test_quote_bad_price_refused(price, error):
    with pytest.raises(error):
        cancellation_quote(D, price, on_day(20))


def test_quote_bad_tiers_refused():
    with pytest.raises(ValueError, match="percent must be between 0 and 100"):
        cancellation_quote(D, PRICE, on_day(5), [(13, 101)])


def test_quote_is_frozen():
    quote = cancellation_quote(D, PRICE, on_day(5))
    with pytest.raises(dataclasses.FrozenInstanceError):
        quote.fee = 0


@given(
    st.integers(0, 1_000_000),
    st.integers(-5, 40),
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 100)), unique_by=lambda t: t[0]),
)
def test_quote_invariants(price, n, tiers):
    quote = cancellation_quote(D, price, on_day(n), tiers)
    assert quote.days_before == n
    assert 0 <= quote.fee <= price
    assert quote.allowed == (n >= 0)
    if n >= 14:
        assert quote.free and quote.fee == 0
    if quote.free:
        assert quote.fee == 0
    assert quote.fee == (fee_for(price, quote.percent) if quote.allowed else 0)


@given(st.integers(0, 1_000_000), st.integers(0, 100))
def test_fee_for_matches_integer_half_up(price, percent):
    # round half up of price * percent / 100, in integers only
    assert fee_for(price, percent) == (price * percent * 2 + 100) // 200


# --------------------------------------------------------------------------- prices


@pytest.mark.parametrize(
    ("pricing", "unit_price", "attendees", "expected"),
    [
        ("per_attendee", 30_000, 1, 30_000),
        ("per_attendee", 30_000, 4, 120_000),
        ("per_attendee", 0, 3, 0),
        ("dedicated", 250_000, 1, 250_000),
        ("dedicated", 250_000, 12, 250_000),
    ],
    ids=["one-attendee", "four-attendees", "free-workshop", "dedicated-one", "dedicated-many"],
)
def test_booking_price(pricing, unit_price, attendees, expected):
    assert booking_price(pricing, unit_price, attendees) == expected


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("per_attendee", 30_000, 0), ValueError),
        (("dedicated", 250_000, 0), ValueError),
        (("per_attendee", -1, 1), ValueError),
        (("per_attendee", 30_000.0, 1), TypeError),
        (("per_attendee", 30_000, 1.5), TypeError),
        (("per_head", 30_000, 1), ValueError),
    ],
    ids=[
        "zero-attendees",
        "dedicated-zero-attendees",
        "negative-price",
        "float-price",
        "float-attendees",
        "unknown-pricing",
    ],
)
def test_booking_price_refused(args, error):
    with pytest.raises(error):
        booking_price(*args)


# --------------------------------------------------------------------------- contract

TERM = (date(2026, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("session", "today", "allowed", "warning"),
    [
        ((date(2026, 6, 1), date(2026, 6, 2)), date(2026, 5, 1), True, False),
        ((date(2026, 4, 1), date(2026, 4, 1)), date(2026, 3, 1), True, False),
        ((date(2027, 3, 31), date(2027, 3, 31)), date(2026, 5, 1), True, False),
        ((date(2026, 3, 31), date(2026, 4, 1)), date(2026, 3, 1), False, False),
        ((date(2027, 3, 31), date(2027, 4, 1)), date(2026, 5, 1), False, False),
        ((date(2027, 5, 1), date(2027, 5, 1)), date(2026, 5, 1), False, False),
        ((date(2027, 5, 1), date(2027, 5, 1)), date(2027, 3, 1), False, False),
        ((date(2027, 3, 20), date(2027, 3, 20)), date(2027, 1, 30), True, False),
        ((date(2027, 3, 20), date(2027, 3, 20)), date(2027, 1, 31), True, True),
        ((date(2027, 3, 20), date(2027, 3, 20)), date(2027, 3, 31), True, True),
    ],
    ids=[
        "inside-term",
        "first-day-of-term",
        "last-day-of-term",
        "starts-before-term-refused",
        "ends-after-term-refused",
        "entirely-after-term-refused",
        "outside-term-late-refused-without-warning",
        "60-days-before-end-no-warning",
        "59-days-before-end-warns",
        "on-last-day-warns",
    ],
)
def test_booking_within_contract(session, today, allowed, warning):
    assert (date(2027, 3, 31) - date(2027, 1, 30)).days == 60  # the table's boundary
    check = booking_within_contract(*session, *TERM, today)
    assert isinstance(check, BookingCheck)
    assert (check.allowed, check.warning) == (allowed, warning)


@pytest.mark.parametrize(
    ("session", "today", "reason"),
    [
        (
            (date(2026, 6, 1), date(2026, 6, 2)),
            date(2026, 5, 1),
            "within the contract term 2026-04-01 to 2027-03-31",
        ),
        (
            (date(2027, 3, 31), date(2027, 4, 1)),
            date(2026, 5, 1),
            "session 2027-03-31 to 2027-04-01 falls outside"
            " the contract term 2026-04-01 to 2027-03-31",
        ),
        (
            (date(2027, 3, 20), date(2027, 3, 20)),
            date(2027, 1, 31),
            "within the contract term 2026-04-01 to 2027-03-31,"
            " but booked 59 days before the contract ends (fewer than 60)",
        ),
    ],
    ids=["ok", "outside", "warning"],
)
def test_booking_within_contract_reasons(session, today, reason):
    assert booking_within_contract(*session, *TERM, today).reason == reason


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((date(2026, 6, 2), date(2026, 6, 1), *TERM, date(2026, 5, 1)), ValueError),
        ((date(2026, 6, 1), date(2026, 6, 1), TERM[1], TERM[0], date(2026, 5, 1)), ValueError),
        (
            (date(2026, 6, 1), date(2026, 6, 1), *TERM, datetime(2026, 5, 1, tzinfo=JST)),
            TypeError,
        ),
    ],
    ids=["session-backwards", "contract-backwards", "datetime-today"],
)
def test_booking_within_contract_refused_input(args, error):
    with pytest.raises(error):
        booking_within_contract(*args)


# --------------------------------------------------------------------------- local date


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 11, 26, 14, 59, 59, tzinfo=UTC), date(2026, 11, 26)),
        (datetime(2026, 11, 26, 15, 0, 0, tzinfo=UTC), date(2026, 11, 27)),
    ],
    ids=["before-jst-midnight", "at-jst-midnight"],
)
def test_local_date(instant, expected):
    assert local_date(instant) == expected


def test_local_date_naive_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 11, 26, 12, 0))
