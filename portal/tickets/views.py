"""Request pages (GET): the list, the new-request form, the detail page, attachments; the POST
actions are in actions.py, what both share in pages.py."""
from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from portal.accounts.tenancy import customer_admin_required, customer_required
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.db import db
from portal.tickets import attachments, forms, presenters, queries, ranking, services
from portal.tickets import search as ticket_search
from portal.tickets.export import people_of
from portal.tickets.interfaces import AlreadyFiled, TicketError
from portal.tickets.models import OPEN_STATUSES, Attachment
from portal.tickets.pages import bp, detail_page, filter_from_args, form_error, ticket_or_404
from portal.tickets.ranking import current_month
from portal.web import render_kept_page, select_timezone
from portal.web.fragments import fragments


@bp.get("")
@login_required
def index():
    flt, user = filter_from_args(), current_user._get_current_object()
    if user.is_staff:  # across organisations: no single revision to key a cache on
        return render_template("tickets/list.html", content=_list_fragment(flt))
    # A customer's list is the same for everyone of the organisation with the same language,
    # zone and filters, until one of its requests changes (revision) or the deadline texts
    # move on (the minute): rendered once, then served from memory (docs/performance.md).
    key = ("tickets.index", user.organization_id, user.is_customer_admin,
           user.organization.requests_revision, current_language(),
           select_timezone(), clock.now().strftime("%Y%m%d%H%M"), flt)
    content = fragments().get_or_render(key, lambda: _list_fragment(flt))
    return render_kept_page("tickets/list.html", content)


def _list_fragment(flt: queries.TicketFilter) -> Markup:
    page = queries.list_tickets(current_user, flt)
    calendars = {}
    deadlines = {t.id: presenters.deadline(t, calendars.setdefault(
        t.organization_id, services.calendar_for(t.organization))) for t in page.items}
    colleagues = [] if current_user.is_staff else people_of(current_user.organization_id)
    return Markup(render_template("tickets/_list.html", page=page, deadlines=deadlines,
                                  labels=presenters, args=_list_args(flt), colleagues=colleagues))


def _list_args(flt: queries.TicketFilter) -> dict[str, str]:
    """The filters as the page shows and links them: from the parsed filter, never the raw query
    string, so that the cached fragment matches its key exactly."""
    args = {"status": flt.status, "kind": flt.kind, "severity": flt.severity, "q": flt.q,
            "sort": flt.sort, "per_page": str(flt.per_page),
            "from": request.args.get("from", "")[:10] if flt.received_from else "",
            "to": request.args.get("to", "")[:10] if flt.received_to else "",
            "requester": ("me" if flt.requester_id == current_user.id else str(flt.requester_id))
            if flt.requester_id else ""}
    return {name: value for name, value in args.items()
            if value and not (name == "per_page" and flt.per_page == 20)}


@bp.get("/export.csv")
@customer_admin_required
def export_csv():
    """The organisation's requests as the list's filters choose them, every page, as CSV."""
    from portal.tickets.export import requests_csv

    text = requests_csv(current_user, filter_from_args(),
                        lambda at: at.astimezone(ZoneInfo(select_timezone())).isoformat())
    month = current_month(current_user.organization)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=requests-{month}.csv"})


@bp.route("/new", methods=["GET", "POST"])
@customer_required
def new():
    form = forms.NewTicketForm()
    if form.validate_on_submit():
        earlier = services.filed_with_key(current_user.id, form.filing_key.data)
        if earlier is not None:  # Back and send again, or a second click: filed once
            return _already_filed(earlier.id)
        twin = None if form.confirm_duplicate.data else services.recent_identical(
            current_user, form.subject.data, form.body.data)
        if twin is not None:
            return _new_page(form, 409, twin=twin)
        try:
            attachments.check_sizes(form.attachments.data or [])
            ticket = _file(form)
        except AlreadyFiled as error:
            return _already_filed(error.ticket_id)
        except TicketError as error:
            form_error(form, error)
            return _new_page(form, error.status)
        flash(_("Your request %(number)s has been received.", number=ticket.number), "success")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    if not form.filing_key.data:
        form.filing_key.data = secrets.token_urlsafe(24)
    return _new_page(form, 422 if form.errors else 200)


def _already_filed(ticket_id: int):
    flash(_("This request has already been received; it was not filed again."), "info")
    return redirect(url_for("tickets.detail", ticket_id=ticket_id))


def _file(form) -> object:
    service = form.service.data or None
    ticket = services.file_ticket(
        current_user, kind="question" if service else form.kind.data,
        severity=form.severity.data, azure_component=form.azure_component.data,
        product=form.product.data or "", subject=form.subject.data, body=form.body.data,
        acknowledge_overage=form.acknowledge_overage.data, backup_service=service,
        filing_key=form.filing_key.data)
    attachments.save_all(ticket, form.attachments.data or [], current_user)
    return ticket


def _new_page(form, status: int = 200, twin=None):
    """The form; `twin`: the same subject and body filed minutes ago, to confirm first."""
    org = current_user.organization
    month = current_month(org)
    attachments.limit_attributes(form.attachments)
    return render_template(
        "tickets/new.html", form=form, severities=presenters.severity_table(),
        preview=ranking.preview(org, month, "question", None), month=month,
        included=ranking.terms(org)[0], twin=twin), status


@bp.get("/similar")
@customer_required
def similar_open():
    """"Already asked?": the organisation's open requests like the subject being typed on the
    new-request form (fetched by static/js/portal.js as the subject changes); an HTML fragment."""
    subject = request.args.get("subject", "")[:200]
    found = ticket_search.similar(subject, statuses=OPEN_STATUSES,
                                  organization_id=current_user.organization_id) if subject.strip() else []
    return render_template("tickets/_similar_open.html", similar=found)


@bp.get("/<int:ticket_id>")
@login_required
def detail(ticket_id: int):
    return detail_page(ticket_or_404(ticket_id))


@bp.get("/<int:ticket_id>/attachments/<int:attachment_id>")
@login_required
def attachment(ticket_id: int, attachment_id: int):
    ticket = ticket_or_404(ticket_id)
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.ticket_id != ticket.id or (found.internal and not current_user.is_staff):
        abort(404)
    if request.args.get("preview"):  # the thumbnail: an image inline, anything else a 404
        return attachments.preview(found)
    return attachments.download(found)

