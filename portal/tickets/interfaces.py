"""Domain exceptions of requests and the allowance; each carries a message for the user."""
from __future__ import annotations

from portal.core.errors import DomainError
from portal.core.money import money_json


class TicketError(DomainError):
    """A problem with a request the user can fix; `field` names the form field."""


class OverageConfirmationRequired(TicketError):
    """This request would be billed as overage and the fee was not acknowledged."""

    status = 409
    code = "overage_confirmation_required"

    def __init__(self, message: str, rank: int, included: int, fee: int):
        super().__init__(message, "acknowledge_overage")
        self.rank = rank
        self.included = included
        self.fee = fee

    def details(self) -> dict:
        return {"fee": money_json(self.fee), "rank": self.rank, "included": self.included}


class BackupLimitReached(TicketError):
    status = 409
    code = "backup_service_limit"


class NotAllowed(TicketError):
    status = 403
    code = "forbidden"


class AlreadyFiled(TicketError):
    """The same submission of the new-request form again: `ticket_id` is what it filed."""

    status = 409
    code = "already_filed"

    def __init__(self, message: str, ticket_id: int):
        super().__init__(message)
        self.ticket_id = ticket_id
