"""Domain exceptions of the workshops package; each carries a message for the user and a code.

`code` is the API's error code; `status` the HTTP status a page or the API answers with;
`field` names the form field the message belongs to, if any.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from portal.core.errors import DomainError
from portal.core.money import money_json
from portal.core.months import DEFAULT_ZONE


class WorkshopError(DomainError):
    """A problem with a workshop booking the user can fix."""


class SessionFull(WorkshopError):
    """Not enough seats left: another booking took them first."""

    code = "session_full"
    status = 409


class SessionUnavailable(WorkshopError):
    """The session was cancelled by the provider or has already started."""

    code = "session_unavailable"
    status = 409


class OutsideContract(WorkshopError):
    """The session does not fall inside the organisation's contract term."""

    code = "outside_contract_term"
    status = 422


class NotChangeable(WorkshopError):
    """The booking is already cancelled or rescheduled, or its session has started."""

    code = "not_changeable"
    status = 409


class FeeConfirmationRequired(WorkshopError):
    """A cancellation fee applies and the person cancelling has not confirmed it."""

    code = "fee_confirmation_required"
    status = 409

    def __init__(self, message, quote):
        super().__init__(message, "acknowledge_fee")
        self.quote = quote

    def details(self) -> dict:
        deadline = self.quote.deadline.astimezone(ZoneInfo(DEFAULT_ZONE))
        return {"fee": money_json(self.quote.fee), "percent": self.quote.percent,
                "deadline": deadline.isoformat(timespec="milliseconds")}
