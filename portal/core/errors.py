"""The base of every domain exception a user can cause and fix."""
from __future__ import annotations


class DomainError(Exception):
    """A problem the user can fix, with a message in their language.

    `field` names the form field the message belongs to (if any); `code` is the API's error
    code and `status` the HTTP status pages and the API answer with.
    """

    code = "validation_failed"
    status = 422

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
