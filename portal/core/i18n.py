"""Gettext for request code (`_`) and lazy strings for module level (`_l`)."""
from __future__ import annotations

from flask_babel import get_locale, gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "ngettext", "get_locale", "current_language"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"
