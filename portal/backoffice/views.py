"""The back office: the queue across organisations, the dashboard, notices, canned replies."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.accounts.models import STAFF_ROLES, Organization, User
from portal.accounts.tenancy import organization_by_slug, staff_admin_required, staff_required
from portal.backoffice import audit, dashboard, forms, maintenance
from portal.backoffice.interfaces import BackofficeError
from portal.core.i18n import _, _l
from portal.db import db, get_or_404, id_from_text
from portal.desk.models import CannedReply
from portal.tickets import presenters, queries, services
from portal.tickets.pages import filter_from_args

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")
JST = ZoneInfo("Asia/Tokyo")


def _int(name: str) -> int | None:
    return id_from_text(request.args.get(name, ""))


# Up to this many organisations the queue's filter lists them all; past it (a provider with
# thousands of customers: 5,000 names made a 294 KB page and 29 ms of rendering on every view)
# staff type the organisation's code instead (docs/decisions/search.md).
ORGANIZATION_LIST_MAX = 200


@bp.get("/queue")
@staff_required
def queue():
    args = request.args.to_dict()
    args.setdefault("status", "open")
    organization_id, unknown_code = _organization_filter(args.get("organization", "").strip())
    flt = replace(filter_from_args(organization_id=organization_id, assignee_id=_int("assignee"),
                                   unanswered=request.args.get("unanswered") == "1"),
                  status=args["status"],
                  sort=request.args.get("sort", "relevance" if request.args.get("q") else "queue"))
    # an unknown code shows no request rather than everyone's
    page = queries.Page([], flt.page, flt.per_page, 0) if unknown_code else \
        queries.list_tickets(current_user, flt)
    calendars = {}
    deadlines = {t.id: presenters.deadline(t, calendars.setdefault(
        t.organization_id, services.calendar_for(t.organization))) for t in page.items}
    if request.args.get("partial"):  # the minute's refresh: the rows only, no filter form
        return render_template("backoffice/_queue_rows.html", page=page, deadlines=deadlines,
                               labels=presenters, args=args)
    organizations = db.session.execute(select(Organization.id, Organization.name, Organization.slug)
                                       .order_by(Organization.name)
                                       .limit(ORGANIZATION_LIST_MAX + 1)).all()
    many = len(organizations) > ORGANIZATION_LIST_MAX
    return render_template(
        "backoffice/queue.html", page=page, deadlines=deadlines, labels=presenters, args=args,
        organizations=[] if many else organizations, organization_code=many,
        unknown_code=unknown_code,
        staff=db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES))).all())


def _organization_filter(given: str) -> tuple[int | None, str | None]:
    """The organisation the queue is narrowed to: an id (the list, links), else a code typed by
    staff (organization_by_slug, the one way staff name an organisation). An unknown code
    narrows to nothing and is said so on the page, never silently widened to everyone."""
    if not given:
        return None, None
    if given.isascii() and given.isdigit():
        return id_from_text(given), None
    org = organization_by_slug(unicodedata.normalize("NFKC", given).lower())
    return (org.id, None) if org is not None else (None, given)


@bp.get("")
@staff_required
def home():
    from portal.core import clock

    return render_template("backoffice/dashboard.html", figures=dashboard.figures(),
                           satisfaction=dashboard.satisfaction(),
                           notices=maintenance.banner_notices(),
                           today=clock.now().astimezone(JST).date())


@bp.route("/maintenance", methods=["GET", "POST"])
@staff_required
def maintenance_notices():
    form = forms.MaintenanceForm()
    status = 200
    if form.validate_on_submit():
        try:
            maintenance.create_notice(
                current_user, title_ja=form.title_ja.data, title_en=form.title_en.data,
                body_ja=form.body_ja.data or "", body_en=form.body_en.data or "",
                service=form.service.data or "", starts_at=form.starts_at.data.replace(tzinfo=JST),
                ends_at=form.ends_at.data.replace(tzinfo=JST))
        except BackofficeError as error:
            form.ends_at.errors = [str(error.message)]
            status = 422
        else:
            flash(_("The maintenance notice is published and customers are e-mailed."), "success")
            return redirect(url_for("backoffice.maintenance_notices"))
    elif form.errors:
        status = 422
    return render_template("backoffice/maintenance.html", form=form,
                           notices=maintenance.all_notices()), status


@bp.route("/canned-replies", methods=["GET", "POST"])
@staff_required
def canned_replies():
    form = forms.CannedReplyForm()
    if form.validate_on_submit():
        db.session.add(CannedReply(title=form.title.data.strip(), body_ja=form.body_ja.data.strip(),
                                   body_en=form.body_en.data.strip()))
        flash(_("The canned reply is saved."), "success")
        return redirect(url_for("backoffice.canned_replies"))
    replies = db.session.scalars(select(CannedReply).order_by(CannedReply.title)).all()
    return render_template("backoffice/canned.html", form=form, replies=replies), (
        422 if form.errors else 200)


@bp.get("/organizations/<int:org_id>/audit")
@staff_required
def organization_audit(org_id: int):
    org = get_or_404(Organization, org_id)
    page = audit.trail_page(org.id, _int("page") or 1)
    return render_template("backoffice/audit.html", org=org, page=page)


@bp.route("/jobs", methods=["GET", "POST"])
@staff_admin_required
def jobs():
    """The job runner as provider administrators see it (each job's last run and error), and the
    two numbers of the automatic steps."""
    from portal.accounts.services import record
    from portal.ops import jobs as runner

    form = forms.JobSettingsForm(data={name: runner.setting(name) for name in runner.SETTINGS}
                                 if request.method == "GET" else None)
    if form.validate_on_submit():
        for name in runner.SETTINGS:
            value, before = getattr(form, name).data, runner.setting(name)
            if value != before:
                record(current_user, "jobs.setting_changed", runner.set_setting(name, value),
                       None, name=name, before=before, after=value)
        flash(_("The settings are saved."), "success")
        return redirect(url_for("backoffice.jobs"))
    rows, runners = runner.overview()
    return render_template("backoffice/jobs.html", jobs=rows, runners=runners, form=form,
                           silent=runner.runner_silent(), labels=JOB_LABELS), \
        422 if form.errors else 200


JOB_LABELS = {
    "outbox": _l("Mail delivery"),
    "escalation": _l("Escalation of unanswered requests"),
    "waiting_reminder": _l("Reminder to customers we are waiting for"),
    "auto_close": _l("Closing of resolved requests"),
    "mail_fee_lapse": _l("Lapse of unconfirmed overage mail"),
    "outbrief_reminder": _l("Outbrief reminders to staff"),
    "contract_end_reminder": _l("Reminder 60 days before a contract ends"),
    "booking_deadline_reminder": _l("Reminder before a booking's free cancellation ends"),
    "overage_review": _l("Contract review notice after a month with overage"),
}


public = Blueprint("maintenance", __name__)


@public.get("/maintenance")
@login_required
def notices():
    return render_template("backoffice/notices.html", notices=maintenance.all_notices())


@bp.get("/billing")
@staff_required
def billing_month():
    from portal.core import clock
    from portal.tickets.allowance import month_of, previous_months

    return render_template("backoffice/billing.html",
                           months=previous_months(month_of(clock.now()), 12))
