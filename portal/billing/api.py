"""/api/v1/usage: the month's allowance as billing and the customer's ITSM read it."""
from __future__ import annotations

import re

from flask import jsonify, request
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.api import api_user, bp
from portal.billing import services
from portal.core.i18n import _
from portal.core.money import money_json
from portal.db import db
from portal.errors import api_error
from portal.tickets.api import instant

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@bp.get("/usage")
def usage():
    user = api_user()
    org = user.organization
    if user.is_staff:
        org = db.session.scalar(select(Organization).where(
            Organization.slug == request.args.get("organization", "")))
        if org is None:
            return api_error(404, _("No such organisation."))
    month = request.args.get("month") or services.current_month(org)
    if not MONTH_RE.match(month):
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
