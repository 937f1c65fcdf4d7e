"""The base of every form of the portal: what no field may hold, checked once for all.

A NUL character cannot be stored in PostgreSQL's text (the database refuses the whole
statement) and no one types it: it is answered as an error of the field it was sent in, so the
page comes back filled with a message instead of failing. A number too large for the database's
integer is refused the same way. Every form derives from `Form`, never from FlaskForm directly
(tests/unit/test_architecture.py checks it).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.fields import FieldList, FormField

from portal.core.i18n import _, current_language

# The database's integer (PostgreSQL `integer`), as in portal.db.ID_MAX; core cannot import db.
INTEGER_MAX = 2**31 - 1


def has_nul(value: object) -> bool:
    """Whether a submitted value (text, or an uploaded file's name) holds a NUL character."""
    text = value if isinstance(value, str) else getattr(value, "filename", None)
    return isinstance(text, str) and "\x00" in text


def _leaves(fields):
    for field in fields:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _leaves([entry])
        else:
            yield field


def refuse_unstorable(form) -> bool:
    """Add a field error for a NUL character or an out-of-range number; True when none."""
    clean = True
    for field in _leaves(form):
        field: Field
        if any(has_nul(value) for value in field.raw_data or ()):
            field.errors = [*field.errors, _("Remove the control character (NUL) from this field.")]
            clean = False
        elif (isinstance(field.data, int) and not isinstance(field.data, bool)
              and abs(field.data) > INTEGER_MAX):
            field.errors = [*field.errors, _("This number is too large.")]
            clean = False
    return clean


def japanese_punctuation(text: str) -> str:
    """WTForms' own Japanese messages use ASCII commas ("10 以上, 200 文字以内"): Japanese text
    takes 、 (issue 18)."""
    return text.replace(", ", "、").replace(",", "、") if current_language() == "ja" else text


class JapanesePunctuation:
    """WTForms' translations, their Japanese given Japanese punctuation."""

    def __init__(self, translations):
        self.translations = translations

    def gettext(self, string: str) -> str:
        return japanese_punctuation(self.translations.gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return japanese_punctuation(self.translations.ngettext(singular, plural, n))


class Form(FlaskForm):
    """FlaskForm (CSRF, the request's form data) that refuses what cannot be stored.

    The hidden CSRF field is rendered without an id: a page with several forms would otherwise
    repeat `id="csrf_token"` (element ids are unique on every page; nothing refers to it).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None:
            csrf.render_kw = {"id": False}

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            translations = super().get_translations(form)
            return JapanesePunctuation(translations) if translations is not None else None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return refuse_unstorable(self) and valid
