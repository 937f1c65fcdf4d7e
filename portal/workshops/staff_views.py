"""Back-office pages for provider staff: the catalogue, sessions, bookings, session cancellation."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.accounts.tenancy import staff_required
from portal.core.i18n import _
from portal.db import get_or_404
from portal.workshops import catalog
from portal.workshops.forms import CancelSessionForm, SessionForm, WorkshopForm
from portal.workshops.interfaces import WorkshopError
from portal.workshops.models import Workshop, WorkshopSession

bp = Blueprint("workshops_staff", __name__, url_prefix="/backoffice/workshops")


def tiers_text(workshop: Workshop) -> str:
    return ", ".join(f"{t.days_before}={t.percent}" for t in workshop.tiers)


def _values(form: WorkshopForm) -> dict:
    values = {name: getattr(form, name).data for name in catalog.FIELDS if name != "late_fee_tiers"}
    values["late_fee_tiers"] = catalog.parse_tiers(form.late_fee_tiers.data or "")
    return values


def _attach(form, error: WorkshopError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors.append(str(error.message))


@bp.get("/")
@staff_required
def catalog_page():
    return _catalog(WorkshopForm(formdata=None))


def _catalog(form, status: int = 200):
    return render_template("workshops/staff_catalog.html", workshops=catalog.workshops(),
                           form=form, today=catalog.today_jst()), status


@bp.post("/")
@staff_required
def create():
    form = WorkshopForm()
    if form.validate_on_submit():
        try:
            workshop = catalog.create_workshop(current_user, **_values(form))
        except WorkshopError as error:
            _attach(form, error, "title_ja")
        else:
            flash(_("The workshop is added to the catalogue."), "success")
            return redirect(url_for("workshops_staff.workshop", workshop_id=workshop.id))
    return _catalog(form, 422)


@bp.get("/<int:workshop_id>")
@staff_required
def workshop(workshop_id: int):
    item = get_or_404(Workshop, workshop_id)
    form = WorkshopForm(obj=item, formdata=None)
    form.late_fee_tiers.data = tiers_text(item)
    return _workshop_page(item, form, SessionForm(formdata=None))


def _workshop_page(item, form, session_form, status: int = 200):
    return render_template("workshops/staff_workshop.html", workshop=item, form=form,
                           session_form=session_form), status


@bp.post("/<int:workshop_id>")
@staff_required
def update(workshop_id: int):
    item = get_or_404(Workshop, workshop_id)
    form = WorkshopForm()
    if form.validate_on_submit():
        try:
            catalog.update_workshop(item, current_user, **_values(form))
        except WorkshopError as error:
            _attach(form, error, "title_ja")
        else:
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("workshops_staff.workshop", workshop_id=item.id))
    return _workshop_page(item, form, SessionForm(formdata=None), 422)


@bp.post("/<int:workshop_id>/archive")
@staff_required
def archive(workshop_id: int):
    item = get_or_404(Workshop, workshop_id)
    catalog.set_archived(item, current_user, not item.archived)
    flash(_("The workshop is archived.") if item.archived else _("The workshop is back in the catalogue."),
          "success")
    return redirect(url_for("workshops_staff.workshop", workshop_id=item.id))


@bp.post("/<int:workshop_id>/delete")
@staff_required
def delete(workshop_id: int):
    item = get_or_404(Workshop, workshop_id)
    try:
        catalog.delete_workshop(item, current_user)
    except WorkshopError as error:
        flash(str(error.message), "error")
        return redirect(url_for("workshops_staff.workshop", workshop_id=item.id))
    flash(_("The workshop is deleted."), "success")
    return redirect(url_for("workshops_staff.catalog_page"))


@bp.post("/<int:workshop_id>/sessions")
@staff_required
def create_session(workshop_id: int):
    item = get_or_404(Workshop, workshop_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            catalog.create_session(item, current_user, form.starts_on.data, form.ends_on.data)
        except WorkshopError as error:
            _attach(form, error, "starts_on")
        else:
            flash(_("The session is scheduled."), "success")
            return redirect(url_for("workshops_staff.workshop", workshop_id=item.id))
    edit = WorkshopForm(obj=item, formdata=None)
    edit.late_fee_tiers.data = tiers_text(item)
    return _workshop_page(item, edit, form, 422)


@bp.get("/sessions/<int:session_id>")
@staff_required
def session(session_id: int):
    return _session_page(get_or_404(WorkshopSession, session_id), CancelSessionForm(formdata=None))


def _session_page(item, form, status: int = 200):
    return render_template("workshops/staff_session.html", session=item, workshop=item.workshop,
                           form=form), status


@bp.post("/sessions/<int:session_id>/cancel")
@staff_required
def cancel_session(session_id: int):
    item = get_or_404(WorkshopSession, session_id)
    form = CancelSessionForm()
    status = 422
    if form.validate_on_submit():
        try:
            count = catalog.cancel_session(item, current_user, form.reason.data, form.note.data)
        except WorkshopError as error:
            _attach(form, error, "reason")
            status = error.status
        else:
            flash(_("The session is cancelled. %(n)s bookings were cancelled free of charge and "
                    "everyone booked is told.", n=count), "success")
            return redirect(url_for("workshops_staff.session", session_id=item.id))
    return _session_page(item, form, status)
