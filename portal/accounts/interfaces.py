"""Domain exceptions of the accounts package: each carries a message for the user."""
from __future__ import annotations


class AccountsError(Exception):
    """A problem the user can fix; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class EmailTaken(AccountsError):
    pass


class NotAllowed(AccountsError):
    pass


class NotFound(AccountsError):
    """Missing, or another organisation's: the two look the same to the caller."""
