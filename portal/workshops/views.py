"""Customer pages: browse sessions, book, see bookings, cancel or reschedule with the fee shown.

Everyone in the organisation may browse sessions; only the customer administrator books,
cancels and reschedules (services description 2.6: the administrator manages the services).
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.tenancy import customer_admin_required, get_scoped_or_404
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.db import get_or_404
from portal.seed_texts import CANCELLATION_RULE, RECORDING_NOTICE
from portal.workshops import mail, services
from portal.workshops.fees import cancellation_deadline, tier_ranges
from portal.workshops.forms import BookingForm, CancelForm, RescheduleForm
from portal.workshops.interfaces import FeeConfirmationRequired, WorkshopError
from portal.workshops.models import Booking, WorkshopSession

bp = Blueprint("workshops", __name__, url_prefix="/workshops")
DEFAULT_ROWS = 3
ADD_ROWS = 5  # rows "More rows" adds without JavaScript (with it, one at a time)


bp.add_app_template_global(tier_ranges, "fee_tier_ranges")


def _texts() -> dict:
    lang = current_language()
    return {"rule": CANCELLATION_RULE[lang], "recording_notice": RECORDING_NOTICE[lang]}


@bp.get("/")
@login_required
def sessions():
    if current_user.is_staff:
        return redirect(url_for("workshops_staff.catalog_page"))
    org = current_user.organization
    today = services.org_today(org)
    fees = services.fees_charged(org.id, today) if current_user.is_customer_admin else []
    return render_template("workshops/sessions.html", sessions=services.upcoming_sessions(today),
                           today=today, fees=fees, fees_total=sum(fee.fee for fee in fees))


def _max_rows(session: WorkshopSession) -> int:
    bookable = session.capacity if session.workshop.dedicated else session.seats_left
    return max(1, min(bookable, services.MAX_ATTENDEES))


def _booking_page(session: WorkshopSession, form: BookingForm, status: int = 200):
    org = current_user.organization
    workshop = session.workshop
    return render_template(
        "workshops/book.html", session=session, workshop=workshop, form=form,
        check=services.contract_check(org, session), max_rows=_max_rows(session),
        deadline=cancellation_deadline(session.starts_on, org.timezone, tiers=workshop.tiers),
        late=services.late_booking_quote(session, org), add_rows=ADD_ROWS,
        bookable=session.scheduled and session.starts_on > services.org_today(org),
        **_texts()), status


@bp.route("/sessions/<int:session_id>/book", methods=["GET", "POST"])
@customer_admin_required
def book(session_id: int):
    session = get_or_404(WorkshopSession, session_id)
    form = BookingForm()
    if request.method == "GET":
        rows = min(request.args.get("rows", DEFAULT_ROWS, type=int) or 1, _max_rows(session))
        while len(form.attendees) < rows:
            form.attendees.append_entry()
        return _booking_page(session, form)
    if "add_rows" in request.form:  # "More rows" without JavaScript: the rows typed, and more
        rows = min(len(form.attendees) + ADD_ROWS, _max_rows(session))
        while len(form.attendees) < rows:
            form.attendees.append_entry()
        return _booking_page(session, form)
    if not form.validate_on_submit():
        return _booking_page(session, form, 422)
    people = [services.AttendeeInput(row.form.name.data or "", row.form.email.data or "")
              for row in form.attendees]
    try:
        booking = services.book(current_user, session.id, people)
    except WorkshopError as error:
        _attach(form, error)
        return _booking_page(session, form, error.status)
    flash(_("The workshop is booked. We have e-mailed a confirmation with a calendar file."),
          "success")
    return redirect(url_for("workshops.booking", booking_id=booking.id))


def _attach(form, error: WorkshopError) -> None:
    """Show a service error beside the field it belongs to, else at the top of the form."""
    if error.field and error.field.startswith("attendees-"):
        _, index, part = error.field.split("-")
        getattr(form.attendees[int(index)].form, part).errors.append(str(error.message))
    elif error.field == "attendees":
        form.attendees.list_errors.append(str(error.message))
    else:
        form.form_errors.append(str(error.message))


@bp.get("/bookings")
@customer_admin_required
def bookings():
    return render_template("workshops/bookings.html",
                           bookings=services.organisation_bookings(current_user.organization_id))


@bp.get("/bookings/<int:booking_id>")
@customer_admin_required
def booking(booking_id: int):
    item = get_scoped_or_404(Booking, booking_id)
    return render_template("workshops/booking.html", booking=item, quote=services.quote(item),
                           **_texts())


@bp.get("/bookings/<int:booking_id>/calendar.ics")
@customer_admin_required
def calendar_file(booking_id: int):
    item = get_scoped_or_404(Booking, booking_id)
    attachment = mail.calendar_file(item, current_language(), cancelled=not item.active)
    return Response(attachment.data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{attachment.filename}"'})


def _change_page(item: Booking, cancel_form=None, reschedule_form=None, status: int = 200):
    quote = services.quote(item)
    choices = services.other_sessions(item, services.org_today(item.organization))
    cancel_form = cancel_form or CancelForm(prefix="cancel", formdata=None)
    reschedule_form = reschedule_form or RescheduleForm(prefix="reschedule", formdata=None)
    reschedule_form.session_id.choices = [(s.id, s.starts_on.isoformat()) for s in choices]
    for form in (cancel_form, reschedule_form):
        form.quoted_fee.data = str(quote.fee)
        form.acknowledge_fee.data = form.acknowledge_fee.data if status < 400 else False
    return render_template("workshops/change.html", booking=item, quote=quote, now=clock.now(),
                           choices=choices, cancel_form=cancel_form,
                           reschedule_form=reschedule_form, **_texts()), status


@bp.get("/bookings/<int:booking_id>/change")
@customer_admin_required
def change(booking_id: int):
    item = get_scoped_or_404(Booking, booking_id)
    if not item.active:
        return redirect(url_for("workshops.booking", booking_id=item.id))
    return _change_page(item)


@bp.post("/bookings/<int:booking_id>/cancel")
@customer_admin_required
def cancel(booking_id: int):
    item = get_scoped_or_404(Booking, booking_id)
    form = CancelForm(prefix="cancel")
    if not form.validate_on_submit():
        return _change_page(item, cancel_form=form, status=422)
    try:
        services.cancel_booking(item, current_user, form.acknowledged_fee(), form.reason.data)
    except WorkshopError as error:
        _change_error(form, error)
        return _change_page(item, cancel_form=form, status=error.status)
    flash(_("The booking is cancelled."), "success")
    return redirect(url_for("workshops.booking", booking_id=item.id))


@bp.post("/bookings/<int:booking_id>/reschedule")
@customer_admin_required
def reschedule(booking_id: int):
    item = get_scoped_or_404(Booking, booking_id)
    form = RescheduleForm(prefix="reschedule")
    form.session_id.choices = [(s.id, "") for s in services.other_sessions(
        item, services.org_today(item.organization))]
    if not form.validate_on_submit():
        return _change_page(item, reschedule_form=form, status=422)
    try:
        new = services.reschedule(item, current_user, form.session_id.data,
                                  form.acknowledged_fee(), form.reason.data)
    except WorkshopError as error:
        _change_error(form, error)
        return _change_page(item, reschedule_form=form, status=error.status)
    flash(_("The booking is moved to the new session."), "success")
    return redirect(url_for("workshops.booking", booking_id=new.id))


def _change_error(form, error: WorkshopError) -> None:
    if isinstance(error, FeeConfirmationRequired):
        form.acknowledge_fee.errors.append(_("Please confirm the cancellation fee to continue."))
    elif error.field == "session_id" and hasattr(form, "session_id"):
        form.session_id.errors.append(str(error.message))
    else:
        form.form_errors.append(str(error.message))

