"""Gettext for request code (`_`) and lazy strings for module level (`_l`)."""
from __future__ import annotations

from flask_babel import get_locale, gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "ngettext", "get_locale", "current_language", "SHOWN_LANGUAGE"]
# The session key of the header's language switch: the pages' language for this session, which
# leaves the account's own language (its mails) alone (issue 18)
SHOWN_LANGUAGE = "lang_shown"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"
