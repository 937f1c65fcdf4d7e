"""Domain exceptions of the accounts package: each carries a message for the user."""
from __future__ import annotations

from portal.core.errors import DomainError


class AccountsError(DomainError):
    """A problem the user can fix; `field` names the form field it belongs to."""


class EmailTaken(AccountsError):
    pass


class NotAllowed(AccountsError):
    pass


class NotFound(AccountsError):
    """Missing, or another organisation's: the two look the same to the caller."""
