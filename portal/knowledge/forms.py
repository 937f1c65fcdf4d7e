"""Forms of the knowledge base; labels are lazy so they follow the viewer's language."""
from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import Form as PortalForm
from portal.core.i18n import _l


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(PortalForm):
    title_ja = StringField(_l("Title (Japanese)"), validators=[Optional(), Length(max=200)])
    body_ja = TextAreaField(_l("Text (Japanese, Markdown)"), validators=[Optional(), Length(max=50000)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    body_en = TextAreaField(_l("Text (English, Markdown)"), validators=[Optional(), Length(max=50000)])
    category = SelectField(_l("Category"), choices=[], default="")
    audience = SelectField(_l("Shown to"), choices=[], default="all")
    organizations = CheckboxList(_l("Organisations"), choices=[], coerce=int)
    reviewed_on = DateField(_l("Last reviewed on"), validators=[Optional()])
    published = BooleanField(_l("Published (customers can read it)"))
    attachments = MultipleFileField(_l("Attachments"))


class CategoryForm(PortalForm):
    name_ja = StringField(_l("Category name (Japanese)"), validators=[Length(max=100)])
    name_en = StringField(_l("Category name (English)"), validators=[Length(max=100)])


class FeedbackForm(PortalForm):
    """"Did this help?" — and, for an article opened while filing, "this answered my question"."""

    helpful = SelectField(choices=[SelectChoice("yes", "yes"), SelectChoice("no", "no")])
    filing = BooleanField()


class SearchForm(PortalForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search the knowledge base"), validators=[Optional(), Length(max=200)])
