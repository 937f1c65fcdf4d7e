"""Request pages (GET): the list, the new-request form, the detail page, attachments; the POST
actions are in actions.py, what both share in pages.py."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from portal.accounts.tenancy import customer_required
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.db import db
from portal.tickets import attachments, forms, presenters, queries, ranking, services
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Attachment
from portal.tickets.pages import bp, detail_page, filter_from_args, form_error, ticket_or_404
from portal.tickets.ranking import current_month
from portal.web import render_kept_page, select_timezone
from portal.web.fragments import fragments


@bp.get("")
@login_required
def index():
    flt = filter_from_args()
    if current_user.is_staff:  # across organisations: no single revision to key a cache on
        return render_template("tickets/list.html", content=_list_fragment(flt))
    # A customer's list is the same for everyone of the organisation with the same language,
    # zone and filters, until one of its requests changes (revision) or the deadline texts
    # move on (the minute): rendered once, then served from memory (docs/performance.md).
    key = ("tickets.index", current_user.organization_id,
           current_user.organization.requests_revision, current_language(),
           select_timezone(), clock.now().strftime("%Y%m%d%H%M"), flt)
    content = fragments().get_or_render(key, lambda: _list_fragment(flt))
    return render_kept_page("tickets/list.html", content)


def _list_fragment(flt: queries.TicketFilter) -> Markup:
    page = queries.list_tickets(current_user, flt)
    calendars = {}
    deadlines = {t.id: presenters.deadline(t, calendars.setdefault(
        t.organization_id, services.calendar_for(t.organization))) for t in page.items}
    return Markup(render_template("tickets/_list.html", page=page, deadlines=deadlines,
                                  labels=presenters, args=_list_args(flt)))


def _list_args(flt: queries.TicketFilter) -> dict[str, str]:
    """The filters as the page shows and links them: from the parsed filter, never the raw query
    string, so that the cached fragment matches its key exactly."""
    args = {"status": flt.status, "kind": flt.kind, "severity": flt.severity, "q": flt.q,
            "sort": flt.sort, "per_page": str(flt.per_page)}
    return {name: value for name, value in args.items()
            if value and not (name == "per_page" and flt.per_page == 20)}


@bp.route("/new", methods=["GET", "POST"])
@customer_required
def new():
    form = forms.NewTicketForm()
    if form.validate_on_submit():
        try:
            ticket = _file(form)
        except TicketError as error:
            form_error(form, error)
            return _new_page(form, error.status)
        flash(_("Your request %(number)s has been received.", number=ticket.number), "success")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    return _new_page(form, 422 if form.errors else 200)


def _file(form) -> object:
    service = form.service.data or None
    ticket = services.file_ticket(
        current_user, kind="question" if service else form.kind.data,
        severity=form.severity.data, azure_component=form.azure_component.data,
        product=form.product.data or "", subject=form.subject.data, body=form.body.data,
        acknowledge_overage=form.acknowledge_overage.data, backup_service=service)
    attachments.save_all(ticket, form.attachments.data or [], current_user)
    return ticket


def _new_page(form, status: int = 200):
    org = current_user.organization
    month = current_month(org)
    return render_template(
        "tickets/new.html", form=form, severities=presenters.severity_table(),
        preview=ranking.preview(org, month, "question", None), month=month,
        included=ranking.terms(org)[0]), status


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
    return attachments.download(found)

