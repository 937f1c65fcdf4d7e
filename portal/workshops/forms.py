"""Forms of the workshops package; labels are lazy so they follow the viewer's language."""
from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.core.forms import Form as PortalForm
from portal.core.i18n import _, _l
from portal.workshops.services import MAX_ATTENDEES


def delivery_choices():
    return [SelectChoice("remote", _l("Remote")), SelectChoice("onsite", _l("On-site"))]


def pricing_choices():
    return [SelectChoice("per_attendee", _l("Per attendee")),
            SelectChoice("dedicated", _l("Dedicated (flat price for one organisation)"))]


def provider_reason_choices():
    return [SelectChoice("below_minimum", _l("Below the minimum number of registrations")),
            SelectChoice("no_staff", _l("No staff available")),
            SelectChoice("other", _l("Other reason"))]


class WorkshopForm(PortalForm):
    title_ja = StringField(_l("Title (Japanese)"), validators=[InputRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[InputRequired(), Length(max=200)])
    description_ja = TextAreaField(_l("Description (Japanese)"), validators=[Length(max=10_000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=10_000)])
    days = IntegerField(_l("Days"), default=1, validators=[InputRequired(), NumberRange(1, 30)])
    delivery = SelectField(_l("Delivery"), choices=delivery_choices)
    pricing = SelectField(_l("Pricing"), choices=pricing_choices)
    price = IntegerField(_l("Price (JPY, tax excluded)"),
                         validators=[InputRequired(), NumberRange(0, 100_000_000)])
    capacity = IntegerField(_l("Capacity (attendees)"), default=20,
                            validators=[InputRequired(), NumberRange(1, 1000)])
    min_attendees = IntegerField(_l("Minimum attendees"), default=0,
                                 validators=[InputRequired(), NumberRange(0, 1000)])
    late_fee_tiers = StringField(_l("Late-fee tiers"), validators=[Optional(), Length(max=200)])


class SessionForm(PortalForm):
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])


class CancelSessionForm(PortalForm):
    reason = SelectField(_l("Reason"), choices=provider_reason_choices)
    note = TextAreaField(_l("Message to the attendees"), validators=[Optional(), Length(max=2000)])


class AttendeeForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])


class AttendeeRows(FieldList):
    """The attendee rows, every one that was sent. WTForms' `max_entries` would keep only the
    first 100 and drop the rest without a word (issue 17); here no row is cut (the form parser's
    MAX_FORM_PARTS, 1000 parts, bounds how many can arrive) and the limit is an error of the
    list, shown above the rows with all of them back as typed. `list_errors` holds the errors of
    the list as a whole (too many, none named, not enough seats), beside the rows' own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_errors: list[str] = []

    def filled(self) -> int:
        """The rows with a name or an address typed in (empty rows are not attendees)."""
        return sum(1 for row in self.entries
                   if (row.form.name.data or "").strip() or (row.form.email.data or "").strip())


class BookingForm(PortalForm):
    attendees = AttendeeRows(FormField(AttendeeForm), min_entries=1)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        filled = self.attendees.filled()
        if filled > MAX_ATTENDEES:
            self.attendees.list_errors.append(_(
                "A booking can name at most %(max)s attendees; %(count)s are filled in. Remove "
                "some rows, or book the others separately.", max=MAX_ATTENDEES, count=filled))
            return False
        return valid


class CancelForm(PortalForm):
    """Cancel a booking: the fee shown is posted back, and a fee must be confirmed."""

    quoted_fee = HiddenField()
    acknowledge_fee = BooleanField(_l("I accept the cancellation fee shown above."))
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=2000)])

    def acknowledged_fee(self) -> int | None:
        """The fee the person saw and confirmed, or None if they did not confirm one."""
        if not self.acknowledge_fee.data:
            return None
        try:
            return max(0, int(self.quoted_fee.data or ""))
        except ValueError:
            return None


class RescheduleForm(CancelForm):
    session_id = SelectField(_l("New session"), coerce=int, choices=[],
                             validators=[InputRequired()])
