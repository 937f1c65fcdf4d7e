"""The usage page (meter, this month's requests, 12-month chart) and the billing export."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.accounts.tenancy import organization_by_slug, staff_required
from portal.billing import services
from portal.core.months import is_month, next_month
from portal.db import db
from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS
from portal.tickets.allowance import previous_months

bp = Blueprint("billing", __name__)


def organization_for_request() -> Organization:
    """The customer's own organisation; staff choose one with ?organization=SLUG."""
    if not current_user.is_staff:
        return current_user.organization
    slug = request.args.get("organization", "")
    if slug:  # an unknown slug is a 404, never silently another organisation
        org = organization_by_slug(slug)
    else:  # no choice made yet: the first of the picker
        org = db.session.scalar(select(Organization).order_by(Organization.name).limit(1))
    if org is None:
        abort(404)
    return org


def month_arg(org: Organization) -> str:
    month = request.args.get("month", "")
    return month if is_month(month) else services.current_month(org)


@bp.get("/usage")
@login_required
def usage():
    org = organization_for_request()
    month = month_arg(org)
    this_month = services.current_month(org)
    summary, tickets = services.usage(org, month)
    by_id = {t.id: t for t in tickets}
    points = services.history(org, month)
    exclusions = {item["key"]: item for item in OUT_OF_SCOPE_EXCLUSIONS}
    organizations = (db.session.scalars(select(Organization).order_by(Organization.name)).all()
                     if current_user.is_staff else [])
    from portal.workshops.billing import fees_charged

    workshop_fees = fees_charged(org.id, month)
    return render_template(
        "billing/usage.html", org=org, month=month, usage=summary, by_id=by_id, points=points,
        workshop_fees=workshop_fees, workshop_total=sum(charge.fee for charge in workshop_fees),
        chart_max=max([p.counted for p in points] + [p.included for p in points] + [1]) * 1.2,
        out_of_scope=services.out_of_scope_items(org.id, month), exclusions=exclusions,
        organizations=organizations, months=previous_months(this_month, 12),
        is_this_month=month == this_month, following_month=next_month(month),
        **_satisfaction(org, month))


def _satisfaction(org: Organization, month: str) -> dict:
    """The organisation's survey figures, for its customer administrators and for staff."""
    from portal.accounts.models import Role
    from portal.tickets import survey_figures

    if not (current_user.is_staff or current_user.role == Role.CUSTOMER_ADMIN):
        return {"satisfaction": None}
    return {"satisfaction": survey_figures.summary(month, org.id),
            "satisfaction_history": survey_figures.per_month(previous_months(month, 12), org.id)}


@bp.get("/backoffice/billing.csv")
@staff_required
def billing_export():
    month = request.args.get("month", "")
    if not is_month(month):
        abort(400)
    return Response(services.billing_csv(month), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="madoguchi-billing-{month}.csv"'})
