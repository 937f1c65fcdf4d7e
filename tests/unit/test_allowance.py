"""Unit tests for portal.tickets.allowance: months, ranking, overage and admission."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.tickets.allowance import (
    Admission,
    MonthUsage,
    RequestFact,
    admission,
    month_bounds,
    month_of,
    month_usage,
    next_month,
    overage_fee,
    previous_months,
)

JST = ZoneInfo("Asia/Tokyo")


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def facts(count: int, *, voided: tuple[int, ...] = (), uncounted: tuple[int, ...] = ()):
    """``count`` requests in November 2026, id i received on day i, 10:00 JST."""
    return [
        RequestFact(i, jst(2026, 11, i, 10), counted=i not in uncounted, voided=i in voided)
        for i in range(1, count + 1)
    ]


# --------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (jst(2026, 11, 30, 23, 59, 59), "2026-11"),
        (jst(2026, 12, 1, 0, 0, 0), "2026-12"),
        (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), "2026-12"),
        (datetime(2026, 11, 30, 14, 59, 59, 999999, tzinfo=UTC), "2026-11"),
        (jst(2027, 1, 1, 0, 0), "2027-01"),
        (jst(2026, 12, 31, 23, 59, 59), "2026-12"),
    ],
    ids=[
        "jst-last-second-of-november",
        "jst-first-instant-of-december",
        "utc-nov-30-15h-is-jst-december",
        "utc-just-before-jst-midnight-is-november",
        "new-year",
        "new-years-eve",
    ],
)
def test_month_of_uses_the_organisation_zone(instant, expected):
    assert month_of(instant) == expected


def test_month_of_other_zone():
    instant = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert month_of(instant, "UTC") == "2026-11"
    assert month_of(instant, "Asia/Tokyo") == "2026-12"


def test_month_of_naive_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        month_of(datetime(2026, 11, 30, 12, 0))


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        (
            "2026-11",
            datetime(2026, 10, 31, 15, 0, tzinfo=UTC),
            datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
        ),
        (
            "2026-12",
            datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
            datetime(2026, 12, 31, 15, 0, tzinfo=UTC),
        ),
        (
            "2028-02",
            datetime(2028, 1, 31, 15, 0, tzinfo=UTC),
            datetime(2028, 2, 29, 15, 0, tzinfo=UTC),
        ),
    ],
    ids=["november", "december-crosses-year", "leap-february"],
)
def test_month_bounds(month, start, end):
    got_start, got_end = month_bounds(month)
    assert (got_start, got_end) == (start, end)
    assert got_start.utcoffset() == timedelta(0)
    assert month_of(got_start) == month
    assert month_of(got_end - timedelta(microseconds=1)) == month
    assert month_of(got_end) != month


@pytest.mark.parametrize(
    "month",
    ["2026-13", "2026-00", "2026-1", "26-01", "2026/01", "", None],
    ids=["month-13", "month-00", "one-digit", "short-year", "slash", "empty", "none"],
)
def test_bad_month_refused(month):
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds(month)


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        ("2026-03", 3, ["2026-01", "2026-02", "2026-03"]),
        ("2026-02", 3, ["2025-12", "2026-01", "2026-02"]),
        ("2026-11", 1, ["2026-11"]),
        ("2026-11", 0, []),
    ],
    ids=["same-year", "crosses-year", "one", "zero"],
)
def test_previous_months(month, count, expected):
    assert previous_months(month, count) == expected


def test_previous_months_twelve_month_history():
    history = previous_months("2026-11", 12)
    assert len(history) == 12
    assert history[0] == "2025-12"
    assert history[-1] == "2026-11"
    assert history == sorted(history)


def test_previous_months_negative_refused():
    with pytest.raises(ValueError):
        previous_months("2026-11", -1)


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2026-11", "2026-12"), ("2026-12", "2027-01")],
    ids=["plain", "year-end"],
)
def test_next_month(month, expected):
    assert next_month(month) == expected


# --------------------------------------------------------------------------- usage


@pytest.mark.parametrize(
    ("requests", "included", "unit_price", "ranks", "overage_ids", "counted", "fee", "review"),
    [
        (facts(3), 5, 10_000, [1, 2, 3], [], 3, 0, False),
        (facts(5), 5, 10_000, [1, 2, 3, 4, 5], [], 5, 0, False),
        (facts(6), 5, 10_000, [1, 2, 3, 4, 5, 6], [6], 6, 10_000, True),
        (facts(8), 5, 10_000, [1, 2, 3, 4, 5, 6, 7, 8], [6, 7, 8], 8, 30_000, True),
        (facts(6, voided=(2,)), 5, 10_000, [1, None, 2, 3, 4, 5], [], 5, 0, False),
        (facts(7, voided=(2,)), 5, 10_000, [1, None, 2, 3, 4, 5, 6], [7], 6, 10_000, True),
        (facts(6, uncounted=(3,)), 5, 10_000, [1, 2, None, 3, 4, 5], [], 5, 0, False),
        (facts(2), 0, 10_000, [1, 2], [1, 2], 2, 20_000, True),
        (facts(0), 0, 10_000, [], [], 0, 0, False),
        (facts(7), 5, 0, [1, 2, 3, 4, 5, 6, 7], [6, 7], 7, 0, True),
        (facts(4), 3, 12_345, [1, 2, 3, 4], [4], 4, 12_345, True),
    ],
    ids=[
        "under-allowance",
        "exactly-allowance",
        "sixth-is-overage",
        "three-over",
        "void-rank-2-of-6-sixth-moves-to-5",
        "void-one-of-7-still-one-over",
        "provider-opened-not-counted",
        "included-zero-all-overage",
        "included-zero-empty-month",
        "unit-price-zero-still-review",
        "contract-with-3-included",
    ],
)
def test_month_usage_table(
    requests, included, unit_price, ranks, overage_ids, counted, fee, review
):
    usage = month_usage("2026-11", requests, included=included, unit_price=unit_price)
    assert [r.rank for r in usage.requests] == ranks
    assert [r.id for r in usage.requests if r.overage] == overage_ids
    assert usage.counted == counted
    assert usage.overage_count == len(overage_ids)
    assert usage.overage_fee == fee
    assert usage.review_suggested is review
    assert usage.review_month == ("2026-12" if review else None)
    assert usage.remaining == max(0, included - counted)


def test_void_moves_the_sixth_up_with_reasons():
    usage = month_usage("2026-11", facts(6, voided=(2,)), included=5, unit_price=10_000)
    by_id = {r.id: r for r in usage.requests}
    assert by_id[2].rank is None and by_id[2].voided and not by_id[2].overage
    assert by_id[2].reason == "voided: removed from the ranking"
    assert by_id[6].rank == 5 and not by_id[6].overage
    assert by_id[6].reason == "request 5 of 5 included"
    assert usage.remaining == 0


def test_overage_reason_and_month_reason():
    usage = month_usage("2026-11", facts(6), included=5, unit_price=10_000)
    assert usage.requests[-1].reason == "request 6 of 5 included: overage"
    assert usage.requests[0].reason == "request 1 of 5 included"
    assert usage.reason == (
        "6 counted of 5 included: 1 overage x ¥10,000 = ¥10,000 (tax excluded);"
        " review suggested for 2026-12"
    )
    assert month_usage("2026-11", facts(2)).reason == "2 counted of 5 included"


def test_uncounted_request_reason():
    usage = month_usage("2026-11", facts(1, uncounted=(1,)))
    (only,) = usage.requests
    assert (only.rank, only.counted, only.overage) == (None, False, False)
    assert only.reason == "not counted toward the monthly allowance"
    assert usage.counted == 0 and usage.remaining == 5


def test_ranking_by_receipt_time_then_id_regardless_of_input_order():
    same = jst(2026, 11, 5, 9)
    requests = [
        RequestFact(30, jst(2026, 11, 20)),
        RequestFact(12, same),
        RequestFact(11, same),
        RequestFact(99, jst(2026, 11, 1)),
    ]
    usage = month_usage("2026-11", requests, included=5)
    assert [(r.id, r.rank) for r in usage.requests] == [(99, 1), (11, 2), (12, 3), (30, 4)]


def test_ranking_compares_instants_across_zones():
    # 2026-11-10 00:30 JST is 2026-11-09 15:30 UTC: the UTC one at 15:00 is earlier.
    requests = [
        RequestFact(1, jst(2026, 11, 10, 0, 30)),
        RequestFact(2, datetime(2026, 11, 9, 15, 0, tzinfo=UTC)),
    ]
    usage = month_usage("2026-11", requests)
    assert [(r.id, r.rank) for r in usage.requests] == [(2, 1), (1, 2)]


@pytest.mark.parametrize(
    ("received_at", "month", "ok"),
    [
        (jst(2026, 11, 30, 23, 59, 59), "2026-11", True),
        (jst(2026, 12, 1, 0, 0, 0), "2026-12", True),
        (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), "2026-12", True),
        (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), "2026-11", False),
        (jst(2026, 11, 30, 23, 59, 59), "2026-12", False),
    ],
    ids=[
        "nov-30-23-59-59-jst-in-november",
        "dec-1-midnight-jst-in-december",
        "nov-30-15h-utc-in-december",
        "nov-30-15h-utc-not-november",
        "nov-30-jst-not-december",
    ],
)
def test_month_usage_jst_boundary(received_at, month, ok):
    requests = [RequestFact(1, received_at)]
    if ok:
        assert month_usage(month, requests).counted == 1
    else:
        with pytest.raises(ValueError, match="not " + month):
            month_usage(month, requests)


def test_month_usage_tz_name_keyword():
    instant = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert month_usage("2026-11", [RequestFact(1, instant)], tz_name="UTC").counted == 1


def test_month_usage_duplicate_id_refused():
    with pytest.raises(ValueError, match="twice"):
        month_usage("2026-11", [RequestFact(1, jst(2026, 11, 1)), RequestFact(1, jst(2026, 11, 2))])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"included": -1}, ValueError),
        ({"unit_price": -1}, ValueError),
        ({"included": 5.0}, TypeError),
        ({"unit_price": 100.5}, TypeError),
    ],
    ids=["negative-included", "negative-price", "float-included", "float-price"],
)
def test_month_usage_validation(kwargs, error):
    with pytest.raises(error):
        month_usage("2026-11", facts(1), **kwargs)


def test_naive_received_at_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        RequestFact(1, datetime(2026, 11, 1, 10, 0))


def test_results_are_frozen():
    usage = month_usage("2026-11", facts(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        usage.counted = 9
    with pytest.raises(dataclasses.FrozenInstanceError):
        usage.requests[0].rank = 9
    assert isinstance(usage, MonthUsage)


@pytest.mark.parametrize(
    ("counted", "included", "unit_price", "expected"),
    [
        (0, 5, 10_000, 0),
        (5, 5, 10_000, 0),
        (6, 5, 10_000, 10_000),
        (9, 5, 10_000, 40_000),
        (3, 0, 7_000, 21_000),
        (9, 5, 0, 0),
    ],
    ids=["none", "at-allowance", "one-over", "four-over", "included-zero", "free-unit"],
)
def test_overage_fee(counted, included, unit_price, expected):
    assert overage_fee(counted, included, unit_price) == expected
    assert isinstance(overage_fee(counted, included, unit_price), int)


@pytest.mark.parametrize(
    "args",
    [(-1, 5, 100), (1, -5, 100), (1, 5, -100)],
    ids=["negative-counted", "negative-included", "negative-price"],
)
def test_overage_fee_validation(args):
    with pytest.raises(ValueError):
        overage_fee(*args)


@st.composite
def month_requests(draw):
    count = draw(st.integers(0, 15))
    minutes = draw(st.lists(st.integers(0, 29 * 24 * 60), min_size=count, max_size=count))
    flags = draw(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=count, max_size=count))
    return [
        RequestFact(i, jst(2026, 11, 1) + timedelta(minutes=m), counted=c, voided=v)
        for i, (m, (c, v)) in enumerate(zip(minutes, flags, strict=True))
    ]


@given(month_requests(), st.integers(0, 8), st.integers(0, 50_000))
def test_month_usage_invariants(requests, included, unit_price):
    usage = month_usage("2026-11", requests, included=included, unit_price=unit_price)
    ranked = [r for r in usage.requests if r.rank is not None]
    assert [r.rank for r in ranked] == list(range(1, usage.counted + 1))
    assert all(r.counted and not r.voided for r in ranked)
    assert sum(r.overage for r in usage.requests) == usage.overage_count
    assert usage.overage_fee == overage_fee(usage.counted, included, unit_price)
    assert usage.review_suggested == (usage.overage_count > 0)
    assert usage.counted - usage.overage_count + usage.remaining == included


# --------------------------------------------------------------------------- admission


@pytest.mark.parametrize(
    ("already", "included", "kind", "severity", "counted", "expected"),
    [
        (2, 5, "question", None, True, Admission(3, False, False, False, 0, "")),
        (4, 5, "question", None, True, Admission(5, False, False, False, 0, "")),
        (5, 5, "question", None, True, Admission(6, True, True, False, 10_000, "")),
        (5, 5, "incident", "2", True, Admission(6, True, True, False, 10_000, "")),
        (5, 5, "incident", "B", True, Admission(6, True, True, False, 10_000, "")),
        (5, 5, "incident", "1", True, Admission(6, True, False, True, 10_000, "")),
        (5, 5, "incident", "A", True, Admission(6, True, False, True, 10_000, "")),
        (5, 5, "incident", "a", True, Admission(6, True, False, True, 10_000, "")),
        (5, 5, "question", "1", True, Admission(6, True, True, False, 10_000, "")),
        (2, 5, "incident", "1", True, Admission(3, False, False, False, 0, "")),
        (0, 0, "question", None, True, Admission(1, True, True, False, 10_000, "")),
        (0, 0, "incident", "A", True, Admission(1, True, False, True, 10_000, "")),
        (9, 5, "question", None, False, Admission(None, False, False, False, 0, "")),
        (9, 5, "incident", "1", False, Admission(None, False, False, False, 0, "")),
    ],
    ids=[
        "question-rank-3",
        "question-rank-5-last-included",
        "question-rank-6-needs-ack-with-fee",
        "incident-sev-2-needs-ack",
        "incident-sev-B-needs-ack",
        "incident-sev-1-not-held-back",
        "incident-sev-A-not-held-back",
        "incident-sev-a-lowercase",
        "question-with-severity-1-still-needs-ack",
        "urgent-within-allowance-no-notify",
        "included-zero-question",
        "included-zero-urgent-incident",
        "not-counted-provider-opened",
        "not-counted-never-overage",
    ],
)
def test_admission_table(already, included, kind, severity, counted, expected):
    got = admission(already, included, 10_000, kind=kind, severity=severity, counted=counted)
    assert dataclasses.replace(got, reason="") == expected


@pytest.mark.parametrize(
    ("already", "kind", "severity", "counted", "reason"),
    [
        (2, "question", None, True, "request 3 of 5 included"),
        (
            5,
            "question",
            None,
            True,
            "request 6 of 5 included: overage ¥10,000 (tax excluded); needs acknowledgement",
        ),
        (
            5,
            "incident",
            "1",
            True,
            "request 6 of 5 included: overage ¥10,000 (tax excluded);"
            " severity 1 incident accepted at once, admin notified",
        ),
        (5, "question", None, False, "not counted toward the monthly allowance"),
    ],
    ids=["within", "overage-ack", "overage-urgent", "not-counted"],
)
def test_admission_reasons(already, kind, severity, counted, reason):
    got = admission(already, 5, 10_000, kind=kind, severity=severity, counted=counted)
    assert got.reason == reason


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((-1, 5, 100), ValueError),
        ((0, -1, 100), ValueError),
        ((0, 5, -1), ValueError),
        ((0, 5, 1.5), TypeError),
    ],
    ids=["negative-already", "negative-included", "negative-price", "float-price"],
)
def test_admission_validation(args, error):
    with pytest.raises(error):
        admission(*args, kind="question", severity=None)


def test_admission_keywords_are_required():
    with pytest.raises(TypeError):
        admission(0, 5, 100, "question", None)  # type: ignore[misc]


@given(st.integers(0, 20), st.integers(0, 10), st.sampled_from(["1", "A", "2", "B", None]))
def test_admission_agrees_with_month_usage(already, included, severity):
    got = admission(already, included, 1_000, kind="incident", severity=severity)
    requests = [RequestFact(i, jst(2026, 11, 1) + timedelta(hours=i)) for i in range(already + 1)]
    last = month_usage("2026-11", requests, included=included, unit_price=1_000).requests[-1]
    assert (got.rank, got.overage) == (last.rank, last.overage)
    assert got.fee == (1_000 if got.overage else 0)
    assert got.needs_acknowledgement == (got.overage and severity not in ("1", "A"))
    assert got.notify_admin == (got.overage and severity in ("1", "A"))
