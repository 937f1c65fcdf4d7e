"""What the request pages (views.py, GET) and actions (actions.py, POST) share: the blueprint,
the request as the viewer may see it, the detail page with its forms, and the list's filter."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from portal.accounts import audit
from portal.core.i18n import current_language
from portal.db import db
from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS
from portal.tickets import (
    attachments,
    forms,
    presenters,
    queries,
    quoting,
    ranking,
    services,
    survey,
    watchers,
)
from portal.tickets import search as ticket_search
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Status

bp = Blueprint("tickets", __name__, url_prefix="/requests")
RESOLVED = (Status.RESOLVED, Status.CLOSED)


@bp.app_context_processor
def _status_labels() -> dict:
    """`labels_status(key)` in every template and mail: a request status in the viewer's words."""
    return {"labels_status": _status_label}


@bp.app_template_filter("split_quoted")
def _split_quoted(text: str) -> tuple[str, str]:
    """`{% set mine, history = message.body|split_quoted %}`: the history folded, never lost."""
    return quoting.split_quoted(text)


def _status_label(key: str) -> str:
    return presenters.STATUS_LABELS.get(key, key)


def _int_arg(args: dict, name: str, default: int, high: int) -> int:
    try:
        return min(max(int(args.get(name, default)), 1), high)
    except ValueError:
        return default


def _day_arg(args: dict, name: str, next_day: bool = False):
    """A day of the period filter (YYYY-MM-DD) as the instant it starts in the viewer's zone;
    anything else is no filter."""
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from portal.web import select_timezone

    try:
        day = date.fromisoformat(args.get(name, "")[:10])
    except ValueError:
        return None
    day = day + timedelta(days=1) if next_day else day
    return datetime.combine(day, time(), ZoneInfo(select_timezone()))


def filter_from_args(**extra) -> queries.TicketFilter:
    """The list's filters from the query string (the request list and the staff queue). Read
    from a plain dict: a missing key of Werkzeug's MultiDict costs an exception each, and a list
    view asks for ten keys that are usually absent."""
    args = request.args.to_dict()
    return queries.TicketFilter(
        status=args.get("status", "")[:24], kind=args.get("kind", "")[:10],
        severity=args.get("severity", "")[:1], q=args.get("q", "")[:100],
        sort=args.get("sort", "received")[:12], page=_int_arg(args, "page", 1, 100000),
        per_page=_int_arg(args, "per_page", 20, 100), received_from=_day_arg(args, "from"),
        received_to=_day_arg(args, "to", next_day=True), requester_id=_requester_arg(args),
        **extra)


def _requester_arg(args: dict) -> int | None:
    """`requester=me` (my requests) or a person's id; the list is scoped to the viewer's
    organisation anyway, so another organisation's id simply matches nothing."""
    value = args.get("requester", "")[:12]
    if value == "me" and current_user.is_authenticated:
        return current_user.id
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


def form_error(form, error: TicketError) -> None:
    """Show a service's error on the field it names (else under the message body)."""
    field = getattr(form, error.field or "", None) or form.body
    field.errors = [*field.errors, str(error.message)] if isinstance(field.errors, list) else [
        str(error.message)]


def ticket_or_404(ticket_id: int):
    """The request if the viewer may see it; another organisation's is a 404 like a missing one."""
    ticket = queries.get_ticket(current_user, ticket_id)
    if ticket is None:
        abort(404)
    return ticket


def detail_page(ticket, status: int = 200, **given_forms):
    """The request page; `given_forms` replace the empty ones (a form sent back with errors)."""
    staff = current_user.is_staff
    messages, files = queries.thread(ticket, include_internal=staff)
    context = {
        "reply_form": forms.ReplyForm(formdata=None), "severity_form": forms.SeverityForm(
            formdata=None, severity=ticket.severity), "status_form": forms.StatusForm(
            formdata=None, status=ticket.status), "void_form": forms.VoidForm(formdata=None),
        "scope_form": scope_form(formdata=None), "watcher_form": forms.WatcherForm(formdata=None),
        "survey_form": survey_form(ticket),
    }
    context.update(given_forms)
    context["status_form"].status.choices = forms.status_choices(staff)
    attachments.limit_attributes(context["reply_form"].attachments)
    steps = queries.events(ticket, presenters.CUSTOMER_EVENTS)
    return render_template(
        "tickets/detail.html", ticket=ticket, messages=messages,
        files=queries.files_by_message(messages, files), image=attachments.looks_like_image,
        timeline=queries.timeline(messages, steps), watchers=services.watching(ticket),
        may_watch=watchers.may_manage(ticket, current_user),
        follow_up_overage=_follow_up_overage(ticket) if not staff else False,
        similar=ticket_search.similar(f"{ticket.subject}\n{ticket.body}", statuses=RESOLVED,
                                      exclude=ticket.id, internal=True) if staff else [],
        canned=_canned() if staff else [], staff_members=_staff_members() if staff else [],
        reply_lang=ticket.requester.locale if ticket.requester else "ja",
        deadline=presenters.deadline(ticket, services.calendar_for(ticket.organization)),
        trail=queries.trail(ticket) if staff else [], audit=audit, labels=presenters,
        severity=presenters.severity_info(ticket.severity) if ticket.severity else None,
        survey=survey.survey_of(ticket), survey_open=survey.is_changeable(survey.survey_of(ticket)),
        **context), status


def _follow_up_overage(ticket) -> bool:
    """A reply to this closed request would file a follow-up billed as overage."""
    if ticket.status != Status.CLOSED:
        return False
    month = ranking.current_month(ticket.organization)
    return ranking.preview(ticket.organization, month, ticket.kind, ticket.severity).overage


def survey_form(ticket):
    """The survey form, filled with the rating and comment given so far."""
    given = survey.survey_of(ticket)
    if given is None or given.rating is None:
        return forms.SurveyForm(formdata=None)
    return forms.SurveyForm(formdata=None, rating=str(given.rating), comment=given.comment)


def scope_form(**kwargs):
    """The out-of-scope form, its exclusions in the seed's words in the viewer's language."""
    form = forms.OutOfScopeForm(**kwargs)
    lang = current_language()
    form.exclusion.choices = [SelectChoice(item["key"], f"({item['no']}) {item[lang]}")
                              for item in OUT_OF_SCOPE_EXCLUSIONS]
    return form


def _staff_members():
    from portal.accounts.models import STAFF_ROLES, User

    return db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))
                              .order_by(User.name)).all()


def _canned():
    from portal.desk.models import CannedReply

    return db.session.scalars(select(CannedReply).order_by(CannedReply.title)).all()
