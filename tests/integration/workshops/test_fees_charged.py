"""Fees charged per organisation and month (JST), for the usage page and the billing export."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.core import clock
from portal.db import db
from portal.workshops import catalog, services
from tests.integration.workshops import helpers as h


def _cancel_at(booking, user, at):
    clock.travel_to(at)
    services.cancel_booking(h.booking(booking.id), user, acknowledged_fee=10**9)
    db.session.commit()


@pytest.fixture()
def two_fees(people):
    """Two late cancellations either side of the JST month boundary (both in UTC November)."""
    admin = people["acme_admin"]
    first = h.session(h.workshop(), starts_on=date(2026, 12, 10))
    second = h.session(h.workshop(price=40_000), starts_on=date(2026, 12, 12))
    one, two = h.book(admin, first), h.book(admin, second, ("一", "a@acme.example"))
    _cancel_at(one, admin, h.jst(2026, 11, 30, 23, 30))  # 14:30 UTC, November in JST
    _cancel_at(two, admin, h.jst(2026, 12, 1, 0, 10))  # 15:10 UTC on Nov 30, December in JST
    return one, two


def test_fees_fall_in_the_organisations_month(people, two_fees):
    one, two = two_fees
    org = people["acme"].id
    november, december = services.fees_charged(org, "2026-11"), services.fees_charged(org, "2026-12")
    assert [(f.booking_id, f.fee, f.percent, f.kind) for f in november] == [
        (one.id, 300_000, 100, "cancelled")]
    assert [(f.booking_id, f.fee, f.charged_on) for f in december] == [
        (two.id, 40_000, date(2026, 12, 1))]
    assert december[0].charged_at == datetime(2026, 11, 30, 15, 10, tzinfo=UTC)
    assert december[0].title("en") == "Azure Operations Workshop"
    assert services.fees_total(org, "2026-11") == 300_000
    assert services.fees_total(org, date(2026, 12, 24)) == 40_000
    assert services.fees_total(people["kitsune"].id, "2026-11") == 0


def test_free_and_provider_cancellations_are_not_fees(people):
    admin = people["acme_admin"]
    free = h.book(admin, h.session(h.workshop()))
    _cancel_at(free, admin, h.jst(2026, 11, 20, 9))
    session = h.session(h.workshop(), starts_on=date(2026, 12, 17))
    h.book(admin, session)
    clock.travel_to(h.jst(2026, 12, 10, 9))
    catalog.cancel_session(session, people["staff"], "no_staff")
    db.session.commit()
    assert services.fees_charged(people["acme"].id, "2026-11") == []
    assert services.fees_charged(people["acme"].id, "2026-12") == []


@pytest.mark.parametrize("month", ["2026-13", "2026/11", "november", ""],
                         ids=["month-13", "slash", "word", "empty"])
def test_bad_month_is_refused(people, month):
    with pytest.raises(ValueError, match="YYYY-MM"):
        services.fees_charged(people["acme"].id, month)


def test_fees_show_on_the_workshops_page(client, people, two_fees):
    clock.travel_to(h.jst(2026, 12, 5, 9))
    client.login("admin@acme.example")
    page = client.get("/workshops/").get_data(as_text=True)
    assert "今月のワークショップ 解約手数料" in page and "合計：￥40,000（税抜）" in page
    client.logout()
    client.login("contact@acme.example")
    assert "解約手数料" not in client.get("/workshops/").get_data(as_text=True)


def test_fees_show_on_the_usage_page_and_in_the_billing_export(client, people, two_fees):
    client.login("admin@acme.example")
    page = client.get("/usage?month=2026-11").get_data(as_text=True)
    assert "ワークショップの解約手数料" in page
    assert "￥300,000" in page
    client.logout()
    client.login("staff@provider.example")
    csv_text = client.get("/backoffice/billing.csv?month=2026-12").data.decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if line.startswith("acme,"))
    assert row.split(",")[-1] == "40000"


def test_the_billing_export_counts_fees_in_each_organisations_own_zone(client, people, two_fees):
    """The usage page and the billing export take one organisation's month in the same zone:
    for an organisation in UTC both late cancellations (14:30 and 15:10 UTC on 30 November)
    are November's, on its usage page and in the export alike."""
    people["acme"].timezone = "UTC"
    db.session.commit()
    org = people["acme"].id
    assert services.fees_total(org, "2026-11") == 340_000
    client.login("staff@provider.example")
    csv_text = client.get("/backoffice/billing.csv?month=2026-11").data.decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if line.startswith("acme,"))
    assert row.split(",")[-1] == "340000"
    december = client.get("/backoffice/billing.csv?month=2026-12").data.decode("utf-8-sig")
    assert next(line for line in december.splitlines() if line.startswith("acme,")).endswith(",0")
