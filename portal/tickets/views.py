"""Request pages: the list, the new-request form, the detail page with its thread."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms import SelectChoice

from portal.accounts.tenancy import customer_required
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.db import db
from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS
from portal.tickets import attachments, forms, presenters, queries, ranking, services
from portal.tickets import search as ticket_search
from portal.tickets.interfaces import TicketError
from portal.tickets.models import OPEN_STATUSES, Attachment, Status
from portal.tickets.ranking import current_month
from portal.web import render_kept_page, select_timezone
from portal.web.fragments import fragments

bp = Blueprint("tickets", __name__, url_prefix="/requests")
RESOLVED = (Status.RESOLVED, Status.CLOSED)


@bp.app_context_processor
def _status_labels() -> dict:
    """`labels_status(key)` in every template and mail: a request status in the viewer's words."""
    return {"labels_status": _status_label}


def _status_label(key: str) -> str:
    return presenters.STATUS_LABELS.get(key, key)


def _int_arg(name: str, default: int, high: int) -> int:
    try:
        return min(max(int(request.args.get(name, default)), 1), high)
    except ValueError:
        return default


def _day_arg(name: str, next_day: bool = False):
    """A day of the period filter (YYYY-MM-DD) as the instant it starts in the viewer's zone;
    anything else is no filter."""
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    try:
        day = date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None
    day = day + timedelta(days=1) if next_day else day
    return datetime.combine(day, time(), ZoneInfo(select_timezone()))


def filter_from_args(**extra) -> queries.TicketFilter:
    args = request.args
    return queries.TicketFilter(
        status=args.get("status", "")[:24], kind=args.get("kind", "")[:10],
        severity=args.get("severity", "")[:1], q=args.get("q", "")[:100],
        sort=args.get("sort", "received")[:12], page=_int_arg("page", 1, 100000),
        per_page=_int_arg("per_page", 20, 100), received_from=_day_arg("from"),
        received_to=_day_arg("to", next_day=True), **extra)


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
            "sort": flt.sort, "per_page": str(flt.per_page), "from": request.args.get("from", "")[:10]
            if flt.received_from else "", "to": request.args.get("to", "")[:10] if flt.received_to else ""}
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
            _form_error(form, error)
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


def _form_error(form, error: TicketError) -> None:
    field = getattr(form, error.field or "", None) or form.body
    field.errors = [*field.errors, str(error.message)] if isinstance(field.errors, list) else [
        str(error.message)]


def _new_page(form, status: int = 200):
    org = current_user.organization
    month = current_month(org)
    return render_template(
        "tickets/new.html", form=form, severities=presenters.severity_table(),
        preview=ranking.preview(org, month, "question", None), month=month,
        included=ranking.terms(org)[0]), status


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
    return detail_page(_ticket_or_404(ticket_id))


def _ticket_or_404(ticket_id: int):
    ticket = queries.get_ticket(current_user, ticket_id)
    if ticket is None:
        abort(404)
    return ticket


def detail_page(ticket, status: int = 200, **given_forms):
    staff = current_user.is_staff
    messages, files = queries.thread(ticket, include_internal=staff)
    context = {
        "reply_form": forms.ReplyForm(formdata=None), "severity_form": forms.SeverityForm(
            formdata=None, severity=ticket.severity), "status_form": forms.StatusForm(
            formdata=None, status=ticket.status), "void_form": forms.VoidForm(formdata=None),
        "scope_form": _scope_form(formdata=None),
    }
    context.update(given_forms)
    context["status_form"].status.choices = forms.status_choices(staff)
    return render_template(
        "tickets/detail.html", ticket=ticket, messages=messages, files=files,
        similar=ticket_search.similar(f"{ticket.subject}\n{ticket.body}", statuses=RESOLVED,
                                      exclude=ticket.id, internal=True) if staff else [],
        canned=_canned() if staff else [], staff_members=_staff_members() if staff else [],
        reply_lang=ticket.requester.locale if ticket.requester else "ja",
        deadline=presenters.deadline(ticket, services.calendar_for(ticket.organization)),
        trail=queries.trail(ticket) if staff else [], labels=presenters,
        severity=presenters.severity_info(ticket.severity) if ticket.severity else None,
        **context), status


def _staff_members():
    from sqlalchemy import select

    from portal.accounts.models import STAFF_ROLES, User

    return db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))
                              .order_by(User.name)).all()


def _canned():
    from sqlalchemy import select

    from portal.desk.models import CannedReply

    return db.session.scalars(select(CannedReply).order_by(CannedReply.title)).all()


def _scope_form(**kwargs):
    form = forms.OutOfScopeForm(**kwargs)
    lang = current_language()
    form.exclusion.choices = [SelectChoice(item["key"], f"({item['no']}) {item[lang]}")
                              for item in OUT_OF_SCOPE_EXCLUSIONS]
    return form


@bp.get("/<int:ticket_id>/attachments/<int:attachment_id>")
@login_required
def attachment(ticket_id: int, attachment_id: int):
    ticket = _ticket_or_404(ticket_id)
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.ticket_id != ticket.id or (found.internal and not current_user.is_staff):
        abort(404)
    return attachments.download(found)


from portal.tickets import actions  # noqa: E402,F401  (the POST actions on a request)
