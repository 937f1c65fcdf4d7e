"""Single sign-on pages: "sign in with your organisation", the return from the organisation's
OpenID provider, and the provider administrator's settings for one organisation."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.accounts import forms, signin, sso
from portal.accounts.interfaces import AccountsError
from portal.accounts.models import Organization
from portal.accounts.tenancy import organization_by_slug, staff_admin_required
from portal.core.i18n import _
from portal.db import get_or_404
from portal.extensions import limiter

bp = Blueprint("sso", __name__)
FLOW = "_sso_flow"


def _redirect_uri() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("sso.callback")


@bp.route("/sso", methods=["GET", "POST"])
@limiter.limit("30 per 15 minutes", methods=["POST"])
def choose():
    """The person gives their work address; its domain names the organisation."""
    form = forms.SsoStartForm()
    if form.validate_on_submit():
        org = sso.organization_for_email(form.email.data)
        if org is not None:
            return redirect(url_for("sso.start", slug=org.slug))
        form.email.errors.append(_("Single sign-on is not set up for this address. Sign in "
                                   "with your password instead."))
    return render_template("accounts/sso_start.html", form=form), 422 if form.errors else 200


@bp.get("/sso/<slug>")
def start(slug: str):
    org = organization_by_slug(slug)
    settings = sso.settings_for(org.id) if org else None
    if settings is None or not settings.enabled:
        abort(404)
    try:
        url, flow = sso.start(settings, _redirect_uri())
    except sso.SsoRefused as refused:
        return _refused(refused)
    session[FLOW] = asdict(flow)
    return redirect(url)


@bp.get("/sso/callback")
def callback():
    """Back from the provider: state, code exchange with PKCE, ID token, then the person."""
    kept = session.pop(FLOW, None)
    if not isinstance(kept, dict):
        return _refused(sso.SsoRefused(_("The sign-in could not be completed. Please start again.")))
    flow = sso.Flow(**kept)
    settings = sso.settings_for(flow.organization_id)
    if settings is None:
        abort(404)
    try:
        user = sso.finish(settings, flow, _redirect_uri(), request.args.get("state", ""),
                          request.args.get("code", ""))
    except sso.SsoRefused as refused:
        return _refused(refused)
    signin.begin(user, url_for("dashboard.index"))
    return redirect(signin.complete(user, "sso", factor_passed=True))


def _refused(refused: sso.SsoRefused):
    return render_template("accounts/sso_refused.html", message=str(refused.message)), 403


@bp.route("/admin/organizations/<int:org_id>/sso", methods=["GET", "POST"])
@staff_admin_required
def settings(org_id: int):
    org = get_or_404(Organization, org_id)
    current = sso.settings_for(org.id)
    form = forms.SsoSettingsForm(obj=current)
    if form.validate_on_submit():
        try:
            sso.save_settings(
                current_user, org, enabled=form.enabled.data, issuer=form.issuer.data or "",
                client_id=form.client_id.data or "", client_secret=form.client_secret.data or "",
                allowed_domains=form.allowed_domains.data or "", sso_only=form.sso_only.data)
        except AccountsError as error:
            getattr(form, error.field or "issuer").errors.append(str(error.message))
        else:
            flash(_("The single sign-on settings are saved."), "success")
            return redirect(url_for("sso.settings", org_id=org.id))
    return render_template("admin/sso.html", org=org, form=form, settings=current,
                           redirect_uri=_redirect_uri()), 422 if form.errors else 200
