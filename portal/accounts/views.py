"""Sign-in, language, passwords, profile and API tokens, and the administrator's people page."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from portal.accounts import forms, people, services, sessions, signin, sso
from portal.accounts.interfaces import AccountsError, NotFound
from portal.accounts.models import ApiToken
from portal.accounts.signin import safe_next
from portal.accounts.tenancy import customer_admin_required
from portal.core.i18n import SHOWN_LANGUAGE, _
from portal.core.text import one_line
from portal.db import db
from portal.extensions import limiter, login_failure_key

bp = Blueprint("accounts", __name__)
bp.before_app_request(signin.redirect_pending)


def _start_session(user) -> None:
    """A new server-side session for this browser; its key goes into the (signed) cookie."""
    session[sessions.SESSION_KEY_FIELD] = sessions.start(
        user, request.user_agent.string, request.remote_addr or "")


def _failed_login(response) -> bool:
    return request.method == "POST" and response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=login_failure_key,
               methods=["POST"], deduct_when=_failed_login)
@limiter.limit("30 per 15 minutes", methods=["POST"], deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and sso.password_refused(user):
            form.password.errors.append(_(
                "Your organisation signs in with single sign-on only. Use “Sign in with your "
                "organisation” below."))
        elif user is not None:
            next_url, step = safe_next(request.args.get("next")), signin.step_for(user)
            if step is None:  # no second factor, none needed: signed in at once
                signin.begin(user, next_url)
                return redirect(signin.complete(user, "password", factor_passed=False))
            signin.begin(user, next_url)  # nobody is signed in until the second factor
            return redirect(url_for(f"security.{step}"))
        else:
            form.password.errors.append(_("The e-mail address or password is not correct."))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    sessions.end(session.get(sessions.SESSION_KEY_FIELD))
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def switch_language():
    """Show the pages in the other language for this session only: the account's language
    (its mails) changes only on the profile page, where it is asked for (issue 18)."""
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    session[SHOWN_LANGUAGE] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        flash(_("Pages are shown in English for this session. Your e-mails stay in Japanese: "
                "change that on your profile.") if lang == "en" else
              _("Pages are shown in Japanese for this session. Your e-mails stay in English: "
                "change that on your profile."), "info")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        people.request_password_reset(form.email.data)
        flash(_("If this address is registered, we have sent it a link to set a new password."),
              "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/<any(reset, invite):purpose>/<token>", methods=["GET", "POST"])
def password_link(purpose: str, token: str):
    user = people.user_for_password_link(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 410
    form = forms.SetPasswordForm()
    if form.validate_on_submit():
        people.set_password_from_link(token, form.password.data)
        if current_user.is_authenticated and current_user.id == user.id:
            _start_session(user)  # this browser stays signed in, under a new key
        flash(_("Your password is set. Please sign in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user,
                           purpose=purpose), 422 if form.errors else 200


NEW_TOKEN_KEY = "new_api_token"


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = one_line(form.name.data)
        services.record(current_user, "profile.updated", current_user, current_user.organization_id)
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return _profile_page(profile_form=form)


@bp.post("/profile/notifications")
@login_required
def save_notifications():
    """The mail language and the switchable mails; the header's language switch never
    changes them (docs/decisions/pages.md)."""
    form = forms.NotificationsForm()
    if not form.validate_on_submit():
        return _profile_page(notifications_form=form)
    services.save_mail_settings(current_user, form.locale.data,
                                **{name: form[name].data for name in services.MAIL_SWITCHES})
    flash(_("Your e-mail settings are saved."), "success")
    return redirect(url_for("accounts.profile"))


def _profile_page(status: int | None = None, **forms_given):
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    # the forms not sent are empty: another form's submitted fields never fill them
    context = {
        "profile_form": forms.ProfileForm(formdata=None, obj=current_user),
        "notifications_form": forms.NotificationsForm(formdata=None, obj=current_user),
        "password_form": forms.ChangePasswordForm(formdata=None),
        "token_form": forms.TokenForm(formdata=None),
        "tokens": tokens,
        # a token just created, shown on this one page after the redirect and then never again
        "new_token": session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None,
        "sessions": sessions.active_sessions(current_user.id),
        "this_session": session.get(sessions.SESSION_KEY_FIELD),
        "is_current_session": sessions.is_current,
        "session_limits": _session_limits(),
    }
    context.update(forms_given)
    has_errors = any(getattr(f, "errors", None) for f in forms_given.values())
    return render_template("accounts/profile.html", **context), status or (422 if has_errors else 200)


def _session_limits() -> dict:
    idle, lifetime = sessions.limits()
    hours = idle.total_seconds() / 3600
    return {"hours": f"{hours:g}" if hours >= 1 else f"{hours:.2g}", "days": lifetime.days}


@bp.post("/profile/password")
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if not signin.factor_is_recent(current_user):
        return _confirm_first()
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            services.set_password(current_user, form.password.data)
            # every session ends, this one included: a copy of this cookie is worth nothing,
            # and this browser goes on under a new key
            sessions.end_others(current_user.id, keep_key=None)
            _start_session(current_user)
            services.record(current_user, "password.changed", current_user,
                            current_user.organization_id)
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(password_form=form)


def _confirm_first():
    """A sensitive change without a recent second factor: confirm it, then try again."""
    flash(_("Confirm with your second factor, then make the change again."), "info")
    return redirect(url_for("security.confirm", next=url_for("accounts.profile")))


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = forms.TokenForm()
    if not signin.factor_is_recent(current_user):
        return _confirm_first()
    if not form.validate_on_submit():
        return _profile_page(token_form=form)
    token, _row = services.issue_token(current_user, form.name.data)
    session[NEW_TOKEN_KEY] = token  # Post/Redirect/Get: a reload of the page creates nothing
    flash(_("The token is created."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not services.revoke_token(current_user, token_id):
        abort(404)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/sessions/others/end")
@login_required
def end_other_sessions():
    ended = sessions.end_others(current_user.id, session.get(sessions.SESSION_KEY_FIELD))
    services.record(current_user, "sessions.ended_others", current_user,
                    current_user.organization_id, count=ended)
    flash(_("You are signed out everywhere else."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    if not sessions.end_one(current_user.id, session_id, session.get(sessions.SESSION_KEY_FIELD)):
        abort(404)
    services.record(current_user, "sessions.ended_one", current_user,
                    current_user.organization_id)
    flash(_("That session is signed out."), "success")
    return redirect(url_for("accounts.profile"))


@bp.get("/people")
@customer_admin_required
def people_list():
    return _people_page(forms.InviteForm())


def _people_page(invite_form, status: int = 200):
    members = people.organisation_people(current_user.organization_id)
    return render_template("accounts/people.html", people=members, invite_form=invite_form,
                           role_form=forms.RoleForm(),
                           pending=people.pending_invitations(members)), status


@bp.post("/people/invite")
@customer_admin_required
def invite():
    form = forms.InviteForm()
    if form.validate_on_submit():
        try:
            people.invite(current_user, form.email.data, form.name.data, form.role.data,
                          form.locale.data)
        except AccountsError as error:
            getattr(form, error.field or "email").errors.append(str(error.message))
        else:  # the same answer whether or not the address has an account elsewhere
            flash(_("%(name)s is invited. We have e-mailed a link to set a password.",
                    name=one_line(form.name.data)), "success")
            return redirect(url_for("accounts.people_list"))
    return _people_page(form, 422)


@bp.post("/people/<int:user_id>/role")
@customer_admin_required
def change_role(user_id: int):
    form = forms.RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _people_change(lambda: people.change_role(current_user, user_id, form.role.data),
                          _("The role is changed."))


@bp.post("/people/<int:user_id>/active")
@customer_admin_required
def set_active(user_id: int):
    active = request.form.get("active") == "1"
    message = _("The account is active again.") if active else _("The account is deactivated.")
    return _people_change(lambda: people.set_active(current_user, user_id, active), message)


@bp.post("/people/<int:user_id>/invitation")
@customer_admin_required
def resend_invitation(user_id: int):
    """Send a pending invitation again (a new link; at most once a minute per person)."""
    return _people_change(lambda: people.resend_invitation(current_user, user_id),
                          _("The invitation is sent again. We have e-mailed a new link to set "
                            "a password."))


def _people_change(change, success: str):
    try:
        change()
    except NotFound:
        abort(404)
    except AccountsError as error:  # told on the list, never rendered at the POST's address
        db.session.rollback()  # a redirect commits: nothing of the refused change may remain
        flash(str(error.message), "error")
        return redirect(url_for("accounts.people_list"))
    flash(success, "success")
    return redirect(url_for("accounts.people_list"))
