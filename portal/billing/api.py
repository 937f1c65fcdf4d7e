"""/api/v1/usage: the month's allowance as billing and the customer's ITSM read it."""
from __future__ import annotations

from flask import abort

from portal.accounts.tenancy import organization_by_slug
from portal.billing import services
from portal.billing.api_schemas import Usage, UsageQuery
from portal.core.i18n import _
from portal.core.money import money_json
from portal.web.api import api_user, instant, operation


@operation("get", "/usage", summary="The month's allowance and overage", query=UsageQuery,
           answer=Usage, errors=(404,),
           description="Staff name the organisation (`organization`): unknown is a 404.")
def usage(query: UsageQuery):
    user = api_user()
    org = user.organization
    if user.is_staff:
        org = organization_by_slug(query.organization or "")
        if org is None:
            abort(404, _("No such organisation."))
    month = query.month or services.current_month(org)
    summary, tickets = services.usage(org, month)
    by_id = {t.id: t for t in tickets}
    return {
        "month": month, "included": summary.included, "counted": summary.counted,
        "overage_count": summary.overage_count,
        "overage_unit_price": money_json(summary.unit_price),
        "overage_fee": money_json(summary.overage_fee),
        "review_suggested": summary.review_suggested,
        "requests": [{"id": r.id, "number": by_id[r.id].number,
                      "received_at": instant(r.received_at, org.timezone), "rank": r.rank,
                      "overage": r.overage, "voided": r.voided} for r in summary.requests],
    }
