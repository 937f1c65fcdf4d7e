"""The second-factor steps: after the password (verify, or enrol for someone who needs a
factor and has none), and again before a sensitive change (confirm, "sudo mode")."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from portal.accounts import factor_pages, factors, forms, passkeys, signin, totp
from portal.accounts.interfaces import AccountsError
from portal.core.i18n import _
from portal.extensions import limiter

bp = Blueprint("security", __name__)
PASSKEY_CHALLENGE = "_passkey_challenge"


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code not in (200, 302)


def _throttled(view):
    """Wrong codes count like wrong passwords (LOGIN_FAILURE_LIMIT per address and person)."""
    return limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
                         key_func=signin.factor_failure_key, methods=["POST"],
                         deduct_when=_failed)(view)


def _expired():
    flash(_("The sign-in took too long. Please sign in again."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/login/verify", methods=["GET", "POST"])
@_throttled
def verify():
    user = signin.pending_user()
    if user is None:
        return _expired()
    if not factors.has_factor(user.id):
        return redirect(url_for("security.enrol"))
    form, passkey_form = forms.CodeForm(), forms.PasskeyAnswerForm()
    if request.method == "POST":
        method = _answer(user, form, passkey_form)
        if method:
            return redirect(signin.complete(user, f"password+{method}", factor_passed=True))
    return _factor_page(user, form, passkey_form, url_for("security.verify"))


@bp.route("/profile/confirm", methods=["GET", "POST"])
@login_required
@_throttled
def confirm():
    """Sudo mode: the second factor again, then back to the page the change was made on."""
    next_url = signin.safe_next(request.args.get("next") or url_for("factors.page"))
    if not factors.has_factor(current_user.id):
        return redirect(url_for("factors.add_totp") if factors.required_for(current_user)
                        else next_url)
    form, passkey_form = forms.CodeForm(), forms.PasskeyAnswerForm()
    if request.method == "POST":
        if _answer(current_user, form, passkey_form):
            signin.mark_factor_passed()
            return redirect(next_url)
    return _factor_page(current_user, form, passkey_form,
                        url_for("security.confirm", next=next_url), confirming=True)


def _answer(user, form, passkey_form) -> str | None:
    """"totp", "recovery" or "passkey" when the answer proves the factor; else None, with the
    error on the form."""
    if "credential" in request.form:
        if passkey_form.validate_on_submit() and _passkey_ok(user, passkey_form.credential.data):
            return "passkey"
        form.code.errors.append(_("The passkey could not be verified. Try again or enter a code."))
        return None
    if form.validate_on_submit():
        method = factors.check_code(user, form.code.data)
        if method:
            return method
        form.code.errors.append(_("The code is not correct, or it was already used."))
    return None


def _passkey_ok(user, answer: str) -> bool:
    challenge = session.pop(PASSKEY_CHALLENGE, None)
    factor = factors.passkey_by_credential(user.id, passkeys.answered_credential_id(answer))
    if not challenge or factor is None:
        return False
    try:
        count = passkeys.verify_authentication(signin.relying_party(), answer, challenge,
                                               factor.public_key or "", factor.sign_count)
    except passkeys.PasskeyRefused:
        return False
    factors.passkey_used(factor, count)
    return True


def _factor_page(user, form, passkey_form, action: str, confirming: bool = False):
    """The code form, and the passkey button when the person has one (a new challenge each
    time the page is shown)."""
    options = None
    ids = factors.passkey_ids(user.id)
    if ids:
        options, session[PASSKEY_CHALLENGE] = passkeys.authentication_options(
            signin.relying_party(), ids)
    status = 422 if form.errors else 200
    return render_template("accounts/verify.html", form=form, passkey_form=passkey_form,
                           passkey_options=options, action=action, confirming=confirming,
                           has_totp=any(f.kind == "totp" for f in factors.factors_of(user.id))), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@_throttled
def enrol():
    """A person who must have a second factor and has none sets up an authenticator app before
    anything else; they are signed in once it works, and see their recovery codes once."""
    user = signin.pending_user()
    if user is None:
        return _expired()
    if factors.has_factor(user.id):
        return redirect(url_for("security.verify"))  # never a way around an existing factor
    secret = session.get(signin.ENROL_SECRET) or totp.new_secret()
    session[signin.ENROL_SECRET] = secret
    form = forms.EnrolForm()
    if form.validate_on_submit():
        try:
            factors.enrol_totp(user, secret, form.code.data)
        except AccountsError as error:
            form.code.errors.append(str(error.message))
        else:
            codes = factors.new_recovery_codes(user)
            next_url = signin.complete(user, "password+totp", factor_passed=True)
            return factor_pages.recovery_codes_page(codes, next_url)
    return factor_pages.enrol_page(user, secret, form, url_for("security.enrol"), required=True)


@bp.post("/login/cancel")
def cancel():
    session.clear()
    return redirect(url_for("accounts.login"))

