"""The staff's outbrief form: the engagement, the summary, findings with risks, recommendations."""
from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.core.forms import Form as PortalForm
from portal.core.i18n import _l
from portal.documents import labels
from portal.documents.interfaces import FindingInput, OutbriefInput

BLANK_FINDING_ROWS = 2


def _kind_choices():
    return [SelectChoice(key, label) for key, label in labels.KIND_LABELS.items()]


def _risk_choices():
    return [SelectChoice(key, label) for key, label in labels.RISK_LABELS.items()]


class FindingForm(Form):
    """One finding row; a row left empty is ignored."""

    title = StringField(_l("Finding"), validators=[Optional(), Length(max=200)])
    risk = SelectField(_l("Risk"), choices=_risk_choices, validate_choice=False)
    detail = TextAreaField(_l("Detail"), validators=[Optional(), Length(max=5000)])
    title_en = StringField(_l("Finding (English)"), validators=[Optional(), Length(max=200)])
    detail_en = TextAreaField(_l("Detail (English)"), validators=[Optional(), Length(max=5000)])

    def is_empty(self) -> bool:
        return not any((getattr(self, name).data or "").strip()
                       for name in ("title", "detail", "title_en", "detail_en"))


class OutbriefForm(PortalForm):
    organization = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    kind = SelectField(_l("Kind of engagement"), choices=_kind_choices)
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    engagement_start = DateField(_l("First day of the engagement"), validators=[InputRequired()])
    engagement_end = DateField(_l("Last day of the engagement"), validators=[InputRequired()])
    summary = TextAreaField(_l("Summary of key findings"), validators=[Length(max=10000)])
    findings = FieldList(FormField(FindingForm), min_entries=1)
    recommendations = TextAreaField(_l("Recommendations (one per line)"),
                                    validators=[Length(max=50_000)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    summary_en = TextAreaField(_l("Summary of key findings (English)"),
                               validators=[Length(max=10000)])
    recommendations_en = TextAreaField(_l("Recommendations (English, one per line)"),
                                       validators=[Length(max=50_000)])

    def to_input(self) -> OutbriefInput:
        """The parsed outbrief; empty finding rows and blank recommendation lines are dropped."""
        findings = tuple(
            FindingInput(title=(row.form.title.data or "").strip(), risk=row.form.risk.data or "",
                         detail=(row.form.detail.data or "").strip(),
                         title_en=(row.form.title_en.data or "").strip(),
                         detail_en=(row.form.detail_en.data or "").strip())
            for row in self.findings if not row.form.is_empty()
        )
        return OutbriefInput(
            organization_id=self.organization.data or None,
            kind=self.kind.data,
            title=(self.title.data or "").strip(),
            engagement_start=self.engagement_start.data,
            engagement_end=self.engagement_end.data,
            summary=self.summary.data or "",
            findings=findings,
            recommendations=_lines(self.recommendations.data),
            title_en=(self.title_en.data or "").strip(),
            summary_en=self.summary_en.data or "",
            recommendations_en=_lines(self.recommendations_en.data),
        )


def _lines(text: str | None) -> tuple[str, ...]:
    """The non-blank lines of a text area, stripped."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return tuple(line.strip() for line in lines if line.strip())


def outbrief_form(organizations, outbrief=None, submitted: bool = False) -> OutbriefForm:
    """The form: as posted when `submitted`, else filled from the outbrief (when editing), with
    blank rows for more findings."""
    if submitted:
        form = OutbriefForm()
    else:
        form = OutbriefForm(formdata=None, data=_values(outbrief) if outbrief else None)
        for _index in range(BLANK_FINDING_ROWS):
            form.findings.append_entry()
    form.organization.choices = [SelectChoice(org.id, org.name) for org in organizations]
    return form


def _values(outbrief) -> dict:
    return {
        "organization": outbrief.organization_id, "kind": outbrief.kind,
        "title": outbrief.title, "engagement_start": outbrief.engagement_start,
        "engagement_end": outbrief.engagement_end, "summary": outbrief.summary,
        "recommendations": "\n".join(outbrief.recommendations),
        "title_en": outbrief.title_en, "summary_en": outbrief.summary_en,
        "recommendations_en": "\n".join(outbrief.recommendations_en),
        "findings": [{"title": f.title, "risk": f.risk, "detail": f.detail,
                      "title_en": f.title_en, "detail_en": f.detail_en}
                     for f in outbrief.findings],
    }
