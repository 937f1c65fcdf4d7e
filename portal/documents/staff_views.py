"""Back office: staff write outbriefs, keep them as drafts, edit and deliver them, and see
overdue ones and the download record."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.accounts.tenancy import staff_required
from portal.core.i18n import _
from portal.db import db, get_or_404
from portal.documents import forms, labels, services
from portal.documents.interfaces import DocumentsError, NotAllowed
from portal.documents.models import Outbrief

bp = Blueprint("outbriefs", __name__, url_prefix="/backoffice/outbriefs")


bp.context_processor(labels.template_globals)


def _organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


@bp.get("")
@staff_required
def index():
    outbriefs = services.all_outbriefs()
    obligations = {item.id: services.obligation(item) for item in outbriefs}
    overdue = sum(1 for item in obligations.values() if item.overdue)
    return render_template("documents/staff/index.html", outbriefs=outbriefs,
                           obligations=obligations, overdue=overdue,
                           organizations=_organizations(),
                           service_plan_id=services.SERVICE_PLAN_ID)


@bp.get("/new")
@staff_required
def new():
    form = forms.outbrief_form(_organizations())
    if request.args.get("organization", "").isdigit():
        form.organization.data = int(request.args["organization"])
    return _form_page(form, None)


def _form_page(form, outbrief, status: int = 200, errors: dict | None = None):
    for name, message in (errors or {}).items():
        if name in form and name != "findings":
            form[name].errors = [*form[name].errors, str(message)]
    records = services.downloads(outbrief_id=outbrief.id, limit=100) if outbrief else []
    obligation = services.obligation(outbrief) if outbrief else None
    return render_template("documents/staff/form.html", form=form, outbrief=outbrief,
                           obligation=obligation, errors=errors or {}, downloads=records,
                           show_org=False), status


@bp.post("")
@staff_required
def create():
    form = forms.outbrief_form(_organizations(), submitted=True)
    if not form.validate_on_submit():
        return _form_page(form, None, 422)
    try:
        outbrief = services.create_outbrief(current_user, form.to_input())
    except DocumentsError as error:
        return _form_page(form, None, 422, error.fields)
    flash(_("The outbrief is saved as a draft."), "success")
    return redirect(url_for("outbriefs.edit", outbrief_id=outbrief.id))


@bp.get("/<int:outbrief_id>")
@staff_required
def edit(outbrief_id: int):
    outbrief = get_or_404(Outbrief, outbrief_id)
    return _form_page(forms.outbrief_form(_organizations(), outbrief), outbrief)


@bp.post("/<int:outbrief_id>")
@staff_required
def update(outbrief_id: int):
    outbrief = get_or_404(Outbrief, outbrief_id)
    form = forms.outbrief_form(_organizations(), outbrief, submitted=True)
    if not form.validate_on_submit():
        return _form_page(form, outbrief, 422)
    try:
        services.update_outbrief(current_user, outbrief, form.to_input())
    except NotAllowed as error:
        flash(str(error.message), "error")
        return _form_page(form, outbrief, 409)
    except DocumentsError as error:
        db.session.rollback()
        return _form_page(form, outbrief, 422, error.fields)
    flash(_("The draft is saved."), "success")
    return redirect(url_for("outbriefs.edit", outbrief_id=outbrief.id))


@bp.post("/<int:outbrief_id>/deliver")
@staff_required
def deliver(outbrief_id: int):
    outbrief = get_or_404(Outbrief, outbrief_id)
    try:
        services.deliver(current_user, outbrief)
    except DocumentsError as error:
        flash(str(error.message), "error")
        return _form_page(forms.outbrief_form(_organizations(), outbrief), outbrief, 409)
    flash(_("The outbrief is delivered; the customer's administrators are told by e-mail."),
          "success")
    return redirect(url_for("outbriefs.edit", outbrief_id=outbrief.id))


@bp.get("/downloads")
@staff_required
def downloads():
    organizations = _organizations()
    slug = request.args.get("organization", "")
    chosen = next((org for org in organizations if org.slug == slug), None)
    if slug and chosen is None:
        abort(404)
    records = services.downloads(org_id=chosen.id if chosen else None)
    return render_template("documents/staff/downloads.html", downloads=records, chosen=chosen,
                           organizations=organizations, show_org=True,
                           org_names={org.id: org.name for org in organizations})
