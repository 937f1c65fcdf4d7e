"""The usage page names the month it shows, as people read it, and its chart has years and a
legend (issue 18: a past month said 今月, months read `2026-09`, the axis had no years)."""
from __future__ import annotations

import re

import pytest

from portal.core import clock
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 9, 15, 10, 0))
    found = factories.two_organizations()
    for _ in range(6):  # September 2026: one over the allowance
        file_request(found["acme_contact"], acknowledge_overage=True)
    file_request(found["kitsune_contact"])
    clock.travel_to(jst(2026, 11, 10, 10, 0))  # today is in November
    return found


def _main(page: str) -> str:
    """The page's own content, without the header and the footer every page shares."""
    return page[page.index("<main"):page.index("</main>")]


def test_a_past_month_is_named_never_this_month(client, people):
    client.login("admin@acme.example")
    page = _main(client.get("/usage?month=2026-09").get_data(as_text=True))
    assert "今月" not in page
    assert "2026年9月の依頼" in page
    assert "2026年9月は受付件数を超過しています。2026年10月に向けて契約内容の見直しをお勧めします。" in page
    assert '<option value="2026-09" selected>2026年9月</option>' in page
    assert "2026-09" not in re.sub(r'(value|href)="[^"]*"', "", page)  # only in addresses
    current = _main(client.get("/usage").get_data(as_text=True))
    assert "今月（2026年11月）の依頼" in current and "2026年11月の依頼はありません。" in current


def test_the_month_in_english(client, people):
    client.login("contact@kitsune.example")
    page = _main(client.get("/usage?month=2026-09").get_data(as_text=True))
    assert "this month" not in page.lower()
    assert "Requests in September 2026" in page and "Requests of September 2026" in page
    assert '<option value="2026-09" selected>September 2026</option>' in page
    assert "September 2026: 1" in page  # the chart's description


def test_the_chart_has_years_where_the_months_cross_a_year_and_a_legend(client, people):
    client.login("admin@acme.example")
    page = client.get("/usage?month=2026-09").get_data(as_text=True)
    chart = page[page.index('data-testid="history-chart"'):page.index("</svg>")]
    # October 2025 .. September 2026: the year under the first month and under January
    assert re.findall(r'data-testid="axis-year">([^<]+)<', chart) == ["2025年", "2026年"]
    assert ">10月<" in chart and ">1月<" in chart and ">9月<" in chart
    assert "2026年9月: 6" in chart  # the chart's description, read by screen readers
    legend = page[page.index('data-testid="chart-legend"'):]
    legend = legend[:legend.index("</ul>")]
    for entry in ("受付件数内の月", "超過のあった月", "契約の受付件数：月 5 件"):
        assert entry in legend


def test_the_usage_page_costs_the_same_queries_for_one_request_or_many(client, people,
                                                                        count_queries):
    client.login("admin@acme.example")

    def measure(month: str) -> int:
        client.get(f"/usage?month={month}")  # warm: the kept page frame, the contract
        with count_queries() as counter:
            assert client.get(f"/usage?month={month}").status_code == 200
        return counter.count

    few = measure("2026-11")
    for _ in range(12):
        file_request(people["acme_contact"], acknowledge_overage=True)
    assert measure("2026-11") == few
