"""Forms of the accounts package; labels are lazy so they follow the viewer's language."""
from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from portal.core.addresses import canonical_address
from portal.core.forms import Form as PortalForm
from portal.core.i18n import _l

LANGUAGE_CHOICES = [SelectChoice("ja", "日本語"), SelectChoice("en", "English")]


def customer_role_choices():
    return [SelectChoice("contact", _l("Designated support contact")),
            SelectChoice("customer_admin", _l("Support service administrator"))]


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[canonical_address],
                       validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired()])


class ForgotPasswordForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[canonical_address],
                       validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address."))])


class SetPasswordForm(PortalForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=10, max=200)])


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=10, max=200)])


class ProfileForm(PortalForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])


class NotificationsForm(PortalForm):
    """Which mails the person gets and in which language (portal/notifications/preferences.py).
    The language is the account's: its mails, and the pages after signing in; the header's
    switch changes only this session's pages."""
    # ids of their own: no other form on the profile page has a field of these names
    locale = SelectField(_l("Language of your e-mails"), choices=LANGUAGE_CHOICES,
                         id="mail-locale")
    mail_colleagues = BooleanField(_l("Replies and updates on colleagues’ requests that I "
                                      "watch (CC)"))
    mail_status = BooleanField(_l("Status and severity changes of my own requests"))
    mail_maintenance = BooleanField(_l("Maintenance notices"))


class TokenForm(PortalForm):
    # its own name and id: the profile form's `name` on the same page must never receive it
    name = StringField(_l("Token name"), name="token-name", id="token-name",
                       validators=[InputRequired(), Length(max=100)])


class InviteForm(PortalForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), filters=[canonical_address], validators=[
        InputRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))])
    role = SelectField(_l("Role"), choices=customer_role_choices)
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class RoleForm(PortalForm):
    role = SelectField(_l("Role"), choices=customer_role_choices)


class OrganizationForm(PortalForm):
    slug = StringField(_l("Slug"), validators=[InputRequired(), Length(min=2, max=63)])
    name = StringField(_l("Organisation name"), validators=[InputRequired(), Length(max=200)])
    included = IntegerField(_l("Requests included per month"), default=5,
                            validators=[InputRequired(), NumberRange(min=0, max=1000)])
    overage_price = IntegerField(_l("Overage unit price (JPY, tax excluded)"), default=20000,
                                 validators=[InputRequired(), NumberRange(min=0, max=10_000_000)])
    term_start = DateField(_l("Contract start"), validators=[InputRequired()])
    term_end = DateField(_l("Contract end"), validators=[InputRequired()])


class ContractForm(PortalForm):
    term_start = DateField(_l("Contract start"), validators=[InputRequired()])
    term_end = DateField(_l("Contract end"), validators=[InputRequired()])
    included_requests = IntegerField(_l("Requests included per month"),
                                     validators=[InputRequired(), NumberRange(min=0, max=1000)])
    overage_unit_price = IntegerField(_l("Overage unit price (JPY, tax excluded)"),
                                      validators=[InputRequired(), NumberRange(min=0, max=10_000_000)])
    opens = TimeField(_l("Opens"), validators=[InputRequired()])
    closes = TimeField(_l("Closes"), validators=[InputRequired()])
    always_open = BooleanField(_l("24/365 option"))


class StaffForm(PortalForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), filters=[canonical_address], validators=[
        InputRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))])
    role = SelectField(_l("Role"), choices=[SelectChoice("staff", _l("Provider staff")),
                                            SelectChoice("staff_admin", _l("Provider administrator"))])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class ClosureDayForm(PortalForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class CodeForm(PortalForm):
    """An authenticator code or a recovery code (the second-factor step, sudo mode)."""
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[InputRequired(), Length(max=40)])


class EnrolForm(PortalForm):
    code = StringField(_l("The six-digit code the app shows"),
                       validators=[InputRequired(), Length(max=20)])


class PasskeyForm(PortalForm):
    """What the browser answered (JSON, filled by static/js/portal.js) and a name for it."""
    credential = HiddenField(validators=[InputRequired(), Length(max=20_000)])
    name = StringField(_l("Name of this passkey"), default="Passkey",
                       validators=[Optional(), Length(max=100)])


class PasskeyAnswerForm(PortalForm):
    credential = HiddenField(validators=[InputRequired(), Length(max=20_000)])


class RequireFactorForm(PortalForm):
    required = BooleanField(_l("Everyone in the organisation must use a second factor"))


class SsoSettingsForm(PortalForm):
    enabled = BooleanField(_l("Single sign-on is on"))
    issuer = StringField(_l("Issuer (the OpenID provider's address)"),
                         validators=[Optional(), Length(max=300)])
    client_id = StringField(_l("Client ID"), validators=[Optional(), Length(max=200)])
    client_secret = PasswordField(_l("Client secret (leave empty to keep the current one)"),
                                  validators=[Optional(), Length(max=300)])
    allowed_domains = StringField(_l("Allowed e-mail domains (separated by spaces or commas)"),
                                  validators=[Optional(), Length(max=1000)])
    sso_only = BooleanField(_l("Single sign-on is the only way in for this organisation's people"))


class SsoStartForm(PortalForm):
    email = EmailField(_l("Your work e-mail address"), filters=[canonical_address],
                       validators=[InputRequired(), Length(max=254)])
