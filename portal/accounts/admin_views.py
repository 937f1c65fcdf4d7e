"""Provider administration: organisations, contracts, staff accounts, closure days."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.accounts import audit, forms, people, services
from portal.accounts.interfaces import AccountsError
from portal.accounts.models import STAFF_ROLES, AuditEvent, ClosureDay, Contract, Organization, User
from portal.accounts.tenancy import staff_admin_required
from portal.core.i18n import _
from portal.db import db, get_or_404
from portal.notifications.services import send_template

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/organizations")
@staff_admin_required
def organizations():
    return _organizations_page(forms.OrganizationForm())


def _organizations_page(form, status: int = 200):
    counts = dict(db.session.execute(
        select(User.organization_id, func.count(User.id)).group_by(User.organization_id)
    ).all())
    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    return render_template("admin/organizations.html", organizations=orgs, counts=counts,
                           form=form), status


@bp.post("/organizations")
@staff_admin_required
def create_organization():
    form = forms.OrganizationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organization(
                form.slug.data, form.name.data, included=form.included.data,
                overage_price=form.overage_price.data, term_start=form.term_start.data,
                term_end=form.term_end.data, actor=current_user)
        except AccountsError as error:
            getattr(form, error.field or "slug", form.slug).errors.append(str(error.message))
        else:
            flash(_("The organisation %(name)s is created.", name=org.name), "success")
            return redirect(url_for("admin.organization", org_id=org.id))
    return _organizations_page(form, 422)


@bp.get("/organizations/<int:org_id>")
@staff_admin_required
def organization(org_id: int):
    org = get_or_404(Organization, org_id)
    contract = services.current_contract(org)
    return _organization_page(org, forms.ContractForm(obj=contract), contract)


def _organization_page(org, form, contract, status: int = 200):
    members = people.organisation_people(org.id)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.organization_id == org.id)
        .order_by(AuditEvent.at.desc()).limit(50)
    ).all()
    from portal.seed_texts import PACKAGE_CATEGORIES, PACKAGE_ITEMS

    return render_template("admin/organization.html", org=org, form=form, contract=contract,
                           people=members, pending=people.pending_invitations(members),
                           events=events, audit=audit, package_items=PACKAGE_ITEMS,
                           categories=PACKAGE_CATEGORIES), status


@bp.post("/contracts/<int:contract_id>")
@staff_admin_required
def update_contract(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    form = forms.ContractForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "term_start", "term_end", "included_requests", "overage_unit_price", "opens",
            "closes", "always_open")}
        try:
            services.update_contract(contract, current_user, **values)
        except AccountsError as error:
            db.session.rollback()
            getattr(form, error.field or "term_end").errors.append(str(error.message))
        else:
            flash(_("The contract is saved."), "success")
            return redirect(url_for("admin.organization", org_id=contract.organization_id))
    org = db.session.get(Organization, contract.organization_id)
    return _organization_page(org, form, contract, 422)


@bp.post("/contracts/<int:contract_id>/package")
@staff_admin_required
def update_package(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    chosen = {key[len("item-"):]: value for key, value in request.form.items()
              if key.startswith("item-")}
    services.set_package_items(contract, current_user, chosen)
    flash(_("The package items are saved."), "success")
    return redirect(url_for("admin.organization", org_id=contract.organization_id))


@bp.get("/staff")
@staff_admin_required
def staff():
    return _staff_page(forms.StaffForm())


def _staff_page(form, status: int = 200):
    members = db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.name)
    ).all()
    return render_template("admin/staff.html", staff=members, form=form), status


@bp.post("/staff")
@staff_admin_required
def create_staff():
    form = forms.StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.name.data, form.role.data,
                                        locale=form.locale.data, actor=current_user)
        except AccountsError as error:
            getattr(form, error.field or "email", form.email).errors.append(str(error.message))
        else:
            send_template(user, "invitation", inviter=current_user,
                          link=people.password_link(user, "invite"))
            flash(_("%(name)s is invited. We have e-mailed a link to set a password.",
                    name=user.name), "success")
            return redirect(url_for("admin.staff"))
    return _staff_page(form, 422)


@bp.get("/closures")
@staff_admin_required
def closures():
    return _closures_page(forms.ClosureDayForm())


def _closures_page(form, status: int = 200):
    days = db.session.scalars(select(ClosureDay).order_by(ClosureDay.day.desc())).all()
    return render_template("admin/closures.html", days=days, form=form), status


@bp.post("/closures")
@staff_admin_required
def add_closure():
    form = forms.ClosureDayForm()
    if form.validate_on_submit():
        try:
            services.add_closure_day(form.day.data, form.note.data or "", current_user)
        except AccountsError as error:
            form.day.errors.append(str(error.message))
        else:
            flash(_("The closure day is added."), "success")
            return redirect(url_for("admin.closures"))
    return _closures_page(form, 422)


@bp.post("/closures/<int:day_id>/delete")
@staff_admin_required
def remove_closure(day_id: int):
    if db.session.get(ClosureDay, day_id) is None:
        abort(404)
    services.remove_closure_day(day_id, current_user)
    flash(_("The closure day is removed."), "success")
    return redirect(url_for("admin.closures"))
