"""The base of every domain exception a user can cause and fix."""
from __future__ import annotations


class DomainError(Exception):
    """A problem the user can fix, with a message in their language.

    `field` names the form field the message belongs to (if any), `fields` maps several fields
    to their messages; `code` is the API's error code and `status` the HTTP status pages and the
    API answer with. `details()` adds what an API client needs besides the message (a fee to
    acknowledge, say). The API turns every DomainError into its JSON error in one place
    (portal/errors.py), so a feature raises and never formats an error answer itself.
    """

    code = "validation_failed"
    status = 422

    def __init__(self, message, field: str | None = None, *, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.fields = dict(fields or {})
        if field and field not in self.fields:
            self.fields[field] = message

    def details(self) -> dict:
        """Extra members of the API's error object (JSON-ready values)."""
        return {}
