"""The profile's security page (second factors, recovery codes), the customer administrator's
"second factor for everyone", and the provider administrator's reset of someone's factors.
Every change here needs a recent second factor (sudo mode, portal/accounts/signin.py)."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.accounts import factor_pages, factors, forms, passkeys, sessions, signin, totp
from portal.accounts.interfaces import AccountsError, NotFound
from portal.accounts.models import User
from portal.accounts.services import record
from portal.accounts.tenancy import customer_admin_required, staff_admin_required
from portal.core.i18n import _
from portal.db import db, get_or_404

bp = Blueprint("factors", __name__)
REGISTRATION_CHALLENGE = "_passkey_registration"


def recent_factor(view):
    """A sensitive change: without a second factor in the last 10 minutes, confirm it first."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not signin.factor_is_recent(current_user):
            flash(_("Confirm with your second factor, then make the change again."), "info")
            back = request.path if request.method == "GET" else url_for("factors.page")
            return redirect(url_for("security.confirm", next=back))
        return view(*args, **kwargs)

    return wrapped


@bp.get("/profile/security")
@login_required
def page():
    return render_template("accounts/security.html", factors=factors.factors_of(current_user.id),
                           codes_left=factors.recovery_codes_left(current_user.id),
                           required=factors.required_for(current_user))


@bp.route("/profile/security/totp", methods=["GET", "POST"])
@login_required
@recent_factor
def add_totp():
    if any(factor.kind == "totp" for factor in factors.factors_of(current_user.id)):
        return redirect(url_for("factors.page"))
    secret = session.get(signin.ENROL_SECRET) or totp.new_secret()
    session[signin.ENROL_SECRET] = secret
    form = forms.EnrolForm()
    if form.validate_on_submit():
        first = not factors.has_factor(current_user.id)
        try:
            factors.enrol_totp(current_user, secret, form.code.data)
        except AccountsError as error:
            form.code.errors.append(str(error.message))
        else:
            return _added(first)
    return factor_pages.enrol_page(current_user, secret, form, url_for("factors.add_totp"),
                                   required=factors.required_for(current_user))


def _added(first: bool):
    """A factor was added: it counts as passed now; the first one comes with recovery codes."""
    session.pop(signin.ENROL_SECRET, None)
    signin.mark_factor_passed()
    if first:
        return factor_pages.recovery_codes_page(factors.new_recovery_codes(current_user),
                                                url_for("factors.page"))
    flash(_("The second factor is added."), "success")
    return redirect(url_for("factors.page"))


@bp.route("/profile/security/passkey", methods=["GET", "POST"])
@login_required
@recent_factor
def add_passkey():
    form = forms.PasskeyForm()
    party = signin.relying_party()
    if form.validate_on_submit():
        first = not factors.has_factor(current_user.id)
        try:
            new = passkeys.verify_registration(party, form.credential.data,
                                               session.pop(REGISTRATION_CHALLENGE, ""))
        except passkeys.PasskeyRefused:
            form.name.errors.append(_("The passkey could not be registered. Please try again."))
        else:
            factors.add_passkey(current_user, new, form.name.data or "")
            return _added(first)
    options, session[REGISTRATION_CHALLENGE] = passkeys.registration_options(
        party, current_user.id, current_user.email, current_user.name,
        factors.passkey_ids(current_user.id))
    return render_template("accounts/add_passkey.html", form=form, options=options), \
        422 if form.errors else 200


@bp.post("/profile/security/factors/<int:factor_id>/remove")
@login_required
@recent_factor
def remove_factor(factor_id: int):
    try:
        factors.remove_factor(current_user, factor_id)
    except NotFound:
        abort(404)
    except AccountsError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The second factor is removed."), "success")
    return redirect(url_for("factors.page"))


@bp.post("/profile/security/recovery-codes")
@login_required
@recent_factor
def new_recovery_codes():
    if not factors.has_factor(current_user.id):
        return redirect(url_for("factors.page"))
    return factor_pages.recovery_codes_page(factors.new_recovery_codes(current_user),
                                            url_for("factors.page"))


@bp.post("/people/second-factor")
@customer_admin_required
@recent_factor
def require_for_organization():
    """The customer administrator asks everyone of the organisation for a second factor. They
    need one themselves first; the sessions of people without one end (they set one up at the
    next sign-in)."""
    form = forms.RequireFactorForm()
    if not form.validate_on_submit():
        abort(400)
    org = current_user.organization
    if form.required.data and not factors.has_factor(current_user.id):
        flash(_("Set up your own second factor first."), "error")
        return redirect(url_for("factors.page"))
    org.require_second_factor = bool(form.required.data)
    if org.require_second_factor:
        for person in db.session.scalars(select(User).where(User.organization_id == org.id)):
            if not factors.has_factor(person.id):
                sessions.end_others(person.id, keep_key=None)
    record(current_user, "organization.second_factor_required", org, org.id,
           required=org.require_second_factor)
    flash(_("Everyone in the organisation now needs a second factor.") if org.require_second_factor
          else _("A second factor is now optional in the organisation."), "success")
    return redirect(url_for("accounts.people_list"))


@bp.post("/admin/people/<int:user_id>/factors/reset")
@staff_admin_required
@recent_factor
def reset_person(user_id: int):
    person = get_or_404(User, user_id)
    try:
        factors.reset_factors(current_user, person)
    except AccountsError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The second factors of %(name)s are reset. We have e-mailed them.",
                name=person.name), "success")
    back = url_for("admin.organization", org_id=person.organization_id) \
        if person.organization_id else url_for("admin.staff")
    return redirect(back)
