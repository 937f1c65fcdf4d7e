"""The query and answer of /api/v1/usage (portal/web/api_schemas.py has the building blocks)."""
from __future__ import annotations

from pydantic import Field

from portal.web.api_schemas import Answer, Id, Instant, Money, Month, MonthText, Query, Slug


class UsageQuery(Query):
    month: Month | None = Field(None, description="YYYY-MM; this month by default")
    organization: Slug | None = Field(None, description="staff: the organisation's slug")


class UsageRequest(Answer):
    id: Id
    number: str
    received_at: Instant
    rank: int | None
    overage: bool
    voided: bool


class Usage(Answer):
    month: MonthText
    included: int
    counted: int
    overage_count: int
    overage_unit_price: Money
    overage_fee: Money
    review_suggested: bool
    requests: list[UsageRequest]
