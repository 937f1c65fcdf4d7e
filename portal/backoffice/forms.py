"""Back-office forms."""
from __future__ import annotations

from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.core.forms import Form as PortalForm
from portal.core.i18n import _l


class MaintenanceForm(PortalForm):
    title_ja = StringField(_l("Title (Japanese)"), validators=[InputRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[InputRequired(), Length(max=200)])
    body_ja = TextAreaField(_l("Details (Japanese)"), validators=[Optional(), Length(max=5000)])
    body_en = TextAreaField(_l("Details (English)"), validators=[Optional(), Length(max=5000)])
    service = StringField(_l("Affected service"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts (JST)"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends (JST)"), format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired()])


class CannedReplyForm(PortalForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    body_ja = TextAreaField(_l("Reply (Japanese)"), validators=[InputRequired(), Length(max=5000)])
    body_en = TextAreaField(_l("Reply (English)"), validators=[InputRequired(), Length(max=5000)])


class JobSettingsForm(PortalForm):
    """The automatic steps of the request lifecycle, in the organisation's business days."""

    waiting_reminder_business_days = IntegerField(
        _l("Reminder to the customer after (business days waiting)"),
        validators=[InputRequired(), NumberRange(min=1, max=30)])
    auto_close_business_days = IntegerField(
        _l("Close resolved requests after (business days without a customer reply)"),
        validators=[InputRequired(), NumberRange(min=1, max=30)])
