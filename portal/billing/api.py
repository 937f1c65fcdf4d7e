"""/api/v1/usage: the month's allowance as billing and the customer's ITSM read it."""
from __future__ import annotations

from flask import jsonify, request

from portal.accounts.tenancy import organization_by_slug
from portal.billing import services
from portal.core.i18n import _
from portal.core.money import money_json
from portal.core.months import is_month
from portal.errors import api_error
from portal.web.api import api_user, bp, instant


@bp.get("/usage")
def usage():
    user = api_user()
    org = user.organization
    if user.is_staff:
        org = organization_by_slug(request.args.get("organization", ""))
        if org is None:
            return api_error(404, _("No such organisation."))
    month = request.args.get("month") or services.current_month(org)
    if not is_month(month):
        return api_error(422, _("month must look like 2026-11."), fields={"month": "YYYY-MM"})
    summary, tickets = services.usage(org, month)
    by_id = {t.id: t for t in tickets}
    return jsonify({
        "month": month, "included": summary.included, "counted": summary.counted,
        "overage_count": summary.overage_count,
        "overage_unit_price": money_json(summary.unit_price),
        "overage_fee": money_json(summary.overage_fee),
        "review_suggested": summary.review_suggested,
        "requests": [{"id": r.id, "number": by_id[r.id].number,
                      "received_at": instant(r.received_at, org.timezone), "rank": r.rank,
                      "overage": r.overage, "voided": r.voided} for r in summary.requests],
    })
