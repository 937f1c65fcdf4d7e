"""Forms for requests; labels are lazy so they follow the viewer's language."""
from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.core.forms import Form as PortalForm
from portal.core.i18n import _l


def kind_choices():
    return [SelectChoice("question", _l("Question (Q&A)")), SelectChoice("incident", _l("Incident"))]


def severity_choices():
    return [SelectChoice(code, _l("Severity %(code)s", code=code)) for code in ("1", "A", "B", "C")]


def service_choices():
    return [SelectChoice("", _l("Question or incident")),
            SelectChoice("restore", _l("Backup service: restore from backup")),
            SelectChoice("schedule_change", _l("Backup service: change the backup schedule"))]


class NewTicketForm(PortalForm):
    service = SelectField(_l("Type of request"), choices=service_choices, default="")
    kind = RadioField(_l("Kind"), choices=kind_choices, default="question")
    severity = RadioField(_l("Severity"), choices=severity_choices, validators=[Optional()])
    azure_component = BooleanField(_l("The incident concerns an Azure component"))
    product = StringField(_l("Product or component concerned"), validators=[Length(max=200)])
    subject = StringField(_l("Subject"), validators=[InputRequired(), Length(max=200)])
    body = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=20000)])
    attachments = MultipleFileField(_l("Attachments (logs, screenshots)"))
    acknowledge_overage = BooleanField(_l("I understand that this request is billed as overage."))
    # one per rendering of the form: the same submission (Back, reload, double click) files once
    filing_key = HiddenField(validators=[Length(max=64)])
    confirm_duplicate = BooleanField(_l("File it anyway: this is a new request."))


class ReplyForm(PortalForm):
    body = TextAreaField(_l("Message"), validators=[InputRequired(), Length(max=20000)])
    attachments = MultipleFileField(_l("Attachments"), id="reply-attachments")
    internal = BooleanField(_l("Internal note (never shown to the customer)"))
    # a reply to a closed request files a follow-up, counted like any new request
    acknowledge_overage = BooleanField(_l("I understand that this request is billed as overage."),
                                       id="reply-acknowledge-overage")


class SeverityForm(PortalForm):
    severity = SelectField(_l("Severity"), choices=severity_choices, id="severity-change")
    reason = TextAreaField(_l("Reason"), id="severity-reason",
                           validators=[InputRequired(), Length(max=2000)])


def status_choices(staff: bool):
    labels = {"new": _l("New"), "in_progress": _l("In progress"),
              "waiting_for_customer": _l("Waiting for customer"), "resolved": _l("Resolved"),
              "closed": _l("Closed")}
    keys = labels if staff else ("resolved", "closed")
    return [SelectChoice(key, labels[key]) for key in keys]


class StatusForm(PortalForm):
    status = SelectField(_l("Status"), choices=lambda: status_choices(True))


class VoidForm(PortalForm):
    reason = TextAreaField(_l("Reason for voiding"), id="void-reason",
                           validators=[InputRequired(), Length(max=2000)])


class OutOfScopeForm(PortalForm):
    exclusion = SelectField(_l("Exclusion (terms [10])"), choices=[])
    reason = TextAreaField(_l("Reason"), id="scope-reason",
                           validators=[Optional(), Length(max=2000)])


class WatcherForm(PortalForm):
    email = StringField(_l("A colleague's e-mail address"), id="watcher-email",
                        validators=[InputRequired(), Length(max=254)])


def rating_choices():
    from portal.tickets.survey import rating_labels

    return [SelectChoice(str(value), f"{value} {label}") for value, label in rating_labels().items()]


class SurveyForm(PortalForm):
    """The satisfaction survey: a rating from 1 to 5 and an optional comment."""

    rating = RadioField(_l("Your rating"), choices=rating_choices,
                        validators=[InputRequired(_l("Choose a rating from 1 to 5."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=4000)])
