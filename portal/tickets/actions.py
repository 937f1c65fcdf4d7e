"""The POST actions on a request: reply, status, severity, root-cause analysis, staff actions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.tenancy import staff_required
from portal.core.i18n import _
from portal.db import db
from portal.tickets import attachments, forms, lifecycle, services, survey, watchers
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Ticket
from portal.tickets.pages import bp, detail_page, form_error, scope_form, ticket_or_404


def _done(ticket, message: str):
    flash(message, "success")
    return redirect(url_for("tickets.detail", ticket_id=ticket.id) + "#thread")


def _run(ticket, form_name: str, form, action, message):
    """Validate, act, and either go back to the request or show the form with its error."""
    if not form.validate_on_submit():
        return detail_page(ticket, 422, **{form_name: form})
    try:
        action()
    except TicketError as error:
        form_error(form, error)
        return detail_page(ticket, error.status, **{form_name: form})
    return _done(ticket, message() if callable(message) else message)


@bp.post("/<int:ticket_id>/messages")
@login_required
def reply(ticket_id: int):
    """A reply; a customer's reopens a resolved request, or files a follow-up of a closed one
    (counted like any new request: an overage one asks for the fee first)."""
    ticket = ticket_or_404(ticket_id)
    form = forms.ReplyForm()
    internal = bool(form.internal.data and current_user.is_staff)
    if not form.validate_on_submit():
        return detail_page(ticket, 422, reply_form=form)
    try:
        attachments.check_sizes(form.attachments.data or [])
        answer = lifecycle.reply(ticket, current_user, form.body.data or "", internal,
                                 acknowledge_overage=bool(form.acknowledge_overage.data))
        attachments.save_all(answer.ticket, form.attachments.data or [], current_user,
                             answer.message.id if answer.message else None, internal)
    except TicketError as error:
        form_error(form, error)
        return detail_page(ticket, error.status, reply_form=form)
    if answer.follow_up:
        flash(_("The request %(old)s is closed, so your message was filed as a new request "
                "%(number)s, a follow-up of %(old)s.", old=ticket.number,
                number=answer.ticket.number), "success")
        return redirect(url_for("tickets.detail", ticket_id=answer.ticket.id))
    return _done(ticket, _("The internal note is saved.") if internal
                 else _("Your message has been sent."))


@bp.post("/<int:ticket_id>/reopen")
@login_required
def reopen(ticket_id: int):
    ticket = ticket_or_404(ticket_id)
    return _act(ticket, lambda: lifecycle.reopen(ticket, current_user),
                _("The request is reopened: the provider has been told."))


@bp.post("/<int:ticket_id>/status")
@login_required
def status(ticket_id: int):
    ticket = ticket_or_404(ticket_id)
    form = forms.StatusForm()
    form.status.choices = forms.status_choices(current_user.is_staff)
    return _run(ticket, "status_form", form,
                lambda: services.change_status(ticket, current_user, form.status.data),
                _("The status is changed."))


@bp.post("/<int:ticket_id>/severity")
@login_required
def severity(ticket_id: int):
    """Staff change the severity; a customer's submission is a request for a change."""
    ticket = ticket_or_404(ticket_id)
    form = forms.SeverityForm()
    if current_user.is_staff:
        return _run(ticket, "severity_form", form, lambda: services.change_severity(
            ticket, current_user, form.severity.data, form.reason.data),
            _("The severity is changed and the deadline recomputed."))
    return _run(ticket, "severity_form", form, lambda: services.request_severity_change(
        ticket, current_user, form.severity.data, form.reason.data),
        _("Your request for a severity change has been sent to the provider."))


@bp.post("/<int:ticket_id>/rca")
@login_required
def root_cause(ticket_id: int):
    ticket = ticket_or_404(ticket_id)
    if current_user.is_staff and request.form.get("delivered") == "1":
        action = lambda: services.deliver_root_cause_analysis(ticket, current_user)  # noqa: E731
        message = _("The root-cause analysis is marked as delivered.")
    else:
        action = lambda: services.request_root_cause_analysis(ticket, current_user)  # noqa: E731
        message = _("Your request for a root-cause analysis has been sent.")
    return _act(ticket, action, message)


def _act(ticket, action, message: str):
    """An action without a form of its own: its error is shown as a message on the request."""
    try:
        action()
    except TicketError as error:
        flash(str(error.message), "error")
        return detail_page(ticket, error.status)
    return _done(ticket, message)


@bp.post("/<int:ticket_id>/void")
@staff_required
def void(ticket_id: int):
    ticket = ticket_or_404(ticket_id)
    form = forms.VoidForm()
    return _run(ticket, "void_form", form,
                lambda: lifecycle.void(ticket, current_user, form.reason.data),
                _("The request is void and closed; later requests of the month moved up. "
                  "The customer has been told."))


@bp.post("/<int:ticket_id>/out-of-scope")
@staff_required
def out_of_scope(ticket_id: int):
    ticket = ticket_or_404(ticket_id)
    form = scope_form()
    return _run(ticket, "scope_form", form, lambda: lifecycle.mark_out_of_scope(
        ticket, current_user, form.exclusion.data, form.reason.data or ""),
        _("The request is marked out of scope and left the month's ranking. The customer has "
          "been told."))


@bp.post("/<int:ticket_id>/assign")
@staff_required
def take(ticket_id: int):
    """Take the request, or give it to another member of staff (`assignee`)."""
    from portal.accounts.models import User
    from portal.db import get, id_from_text

    ticket = ticket_or_404(ticket_id)
    chosen = request.form.get("assignee", "")
    assignee = get(User, id_from_text(chosen)) if chosen.isdigit() else current_user
    if assignee is None:
        abort(404)
    message = (_("You have taken the request.") if assignee is current_user
               else _("The request is assigned to %(name)s.", name=assignee.name))
    return _act(ticket, lambda: services.assign(ticket, current_user, assignee), message)


@bp.post("/<int:ticket_id>/watchers")
@login_required
def add_watcher(ticket_id: int):
    """Copy a colleague of the organisation on the request's mails (CC)."""
    ticket = ticket_or_404(ticket_id)
    form = forms.WatcherForm()
    added = {}

    def act():
        added["who"] = watchers.add(ticket, current_user, form.email.data or "")

    return _run(ticket, "watcher_form", form, act, lambda: _(
        "%(name)s is copied on this request's mails.", name=added["who"].name))


@bp.post("/<int:ticket_id>/watchers/<int:user_id>/remove")
@login_required
def remove_watcher(ticket_id: int, user_id: int):
    ticket = ticket_or_404(ticket_id)
    try:
        removed = watchers.remove(ticket, current_user, user_id)
    except TicketError as error:
        flash(str(error.message), "error")
        return detail_page(ticket, error.status)
    if not removed:
        abort(404)
    return _done(ticket, _("The colleague is no longer copied."))


@bp.post("/<int:ticket_id>/satisfaction")
@login_required
def satisfaction(ticket_id: int):
    """The requester rates the resolved request on its page (changeable for 14 days)."""
    ticket = ticket_or_404(ticket_id)
    form = forms.SurveyForm()
    return _run(ticket, "survey_form", form, lambda: survey.rate(
        ticket, current_user, _rating(form.rating.data), form.comment.data or ""),
        _("Thank you: your rating is saved."))


def _rating(value) -> int | None:
    return int(value) if str(value or "") in {"1", "2", "3", "4", "5"} else None


@bp.route("/<int:ticket_id>/survey/<token>", methods=["GET", "POST"])
def survey_link(ticket_id: int, token: str):
    """The one-click link of the survey mail: works without signing in, for that one request,
    for 14 days. Opening it records the rating; the page then offers a comment or a change."""
    reading = survey.read_link(ticket_id, token)
    if reading.refusal:
        status = 410 if reading.refusal == "expired" else 400
        return render_template("tickets/survey_link.html", refusal=reading.refusal), status
    ticket = db.session.get(Ticket, ticket_id)
    given = survey.survey_of(ticket) if ticket else None
    if given is None:
        return render_template("tickets/survey_link.html", refusal="invalid"), 400
    form = forms.SurveyForm(formdata=None, rating=str(reading.rating))
    rating, comment = reading.rating, None
    if request.method == "POST":
        form = forms.SurveyForm()
        if not form.validate_on_submit():
            return _survey_link_page(ticket, form, 422)
        rating, comment = _rating(form.rating.data), form.comment.data or ""
    try:
        survey.rate(ticket, given.requester, rating,
                    given.comment if comment is None else comment)
    except TicketError as error:
        form_error(form, error)
        return _survey_link_page(ticket, form, error.status)
    if request.method == "POST":
        form = forms.SurveyForm(formdata=None, rating=str(rating), comment=comment)
    return _survey_link_page(ticket, form, 200, saved=True)


def _survey_link_page(ticket, form, status: int, saved: bool = False):
    return render_template("tickets/survey_link.html", refusal=None, ticket=ticket, form=form,
                           saved=saved, survey=survey.survey_of(ticket),
                           closes_at=survey.closes_at(survey.survey_of(ticket))), status
