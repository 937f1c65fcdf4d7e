"""The satisfaction survey (rules.md "Satisfaction survey", services description 2.6).

- Asked once: when a request is first resolved its requester (a customer) gets a mail with five
  one-click links (1 とても不満 … 5 とても満足) and the request page shows the form. The
  `satisfaction_surveys` row, one per request, is what makes it once: a request resolved again
  after being reopened is not asked again.
- A link is signed (itsdangerous, with the portal's clock so tests can travel), names the request
  and the rating, and is valid for 14 days; it works without signing in. The rating (and an
  optional comment) may be changed for 14 days from when it was asked.
- A rating of 1 or 2 alerts the provider administrators, once per request (a job mark).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import _l
from portal.core.months import month_of
from portal.db import db, insert_ignore
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once
from portal.tickets.interfaces import NotAllowed, TicketError
from portal.tickets.models import SatisfactionSurvey, Status, Ticket

SURVEY_DAYS = 14
RATINGS = (1, 2, 3, 4, 5)
LOW_RATINGS = (1, 2)
SURVEY_JOB = "satisfaction"
_SALT = "satisfaction-survey"


def rating_labels() -> dict[int, str]:
    """The five answers in the reader's language."""
    return {1: _l("Very dissatisfied"), 2: _l("Dissatisfied"), 3: _l("Neither"),
            4: _l("Satisfied"), 5: _l("Very satisfied")}


class _ClockSigner(TimestampSigner):
    """Signs and checks with the portal's clock, so the 14 days follow the same time as
    everything else (and the tests' travelling clock)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT, signer=_ClockSigner)


def link_token(ticket_id: int, rating: int) -> str:
    return _serializer().dumps([ticket_id, rating])


def link(ticket_id: int, rating: int) -> str:
    return (f"{current_app.config['BASE_URL']}/requests/{ticket_id}/survey/"
            f"{link_token(ticket_id, rating)}")


@dataclass(frozen=True)
class LinkReading:
    """What a survey link says: the rating for the request, or why it is refused
    ("expired", "invalid": altered or not a survey link, "other_request")."""

    rating: int | None
    refusal: str | None


def read_link(ticket_id: int, token: str) -> LinkReading:
    try:
        named, rating = _serializer().loads(token, max_age=SURVEY_DAYS * 86400)
    except SignatureExpired:
        return LinkReading(None, "expired")
    except (BadData, ValueError, TypeError):
        return LinkReading(None, "invalid")
    if not (isinstance(named, int) and isinstance(rating, int) and rating in RATINGS):
        return LinkReading(None, "invalid")
    if named != ticket_id:
        return LinkReading(None, "other_request")
    return LinkReading(rating, None)


def survey_of(ticket: Ticket) -> SatisfactionSurvey | None:
    return db.session.get(SatisfactionSurvey, ticket.id)


def is_changeable(survey: SatisfactionSurvey | None) -> bool:
    return survey is not None and clock.now() < survey.asked_at + timedelta(days=SURVEY_DAYS)


def closes_at(survey: SatisfactionSurvey) -> datetime:
    return survey.asked_at + timedelta(days=SURVEY_DAYS)


def ask(ticket: Ticket) -> bool:
    """The request was resolved: ask its requester, once ever. False when not asked (asked
    before, or the requester is no active customer)."""
    requester = ticket.requester
    if requester is None or requester.is_staff or not requester.active:
        return False
    now = clock.now()
    inserted = db.session.execute(insert_ignore(
        SatisfactionSurvey, ticket_id=ticket.id, organization_id=ticket.organization_id,
        requester_id=requester.id, staff_id=ticket.assignee_id,
        month=month_of(now, ticket.organization.timezone), asked_at=now, comment="",
    ).returning(SatisfactionSurvey.ticket_id)).scalar()
    if inserted is None:
        return False
    send_template(requester, "satisfaction_survey", ticket=ticket,
                  links=[(r, rating_labels()[r], link(ticket.id, r)) for r in RATINGS],
                  days=SURVEY_DAYS)
    return True


def rate(ticket: Ticket, user: User, rating: int | None, comment: str = "") -> SatisfactionSurvey:
    """The requester rates (or re-rates) the resolved request within the 14 days."""
    survey = survey_of(ticket)
    if survey is None or ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise TicketError(_l("The survey opens when the request is resolved."), "rating")
    if user.id != survey.requester_id:
        raise NotAllowed(_l("Only the person who filed the request can answer its survey."),
                         "rating")
    if not is_changeable(survey):
        raise TicketError(_l("The survey of this request closed 14 days after it was resolved."),
                          "rating")
    if rating not in RATINGS:
        raise TicketError(_l("Choose a rating from 1 to 5."), "rating")
    first = survey.rating is None
    survey.rating, survey.comment = rating, (comment or "").strip()[:4000]
    survey.rated_at = clock.now()
    record(user, "ticket.rated", ticket, ticket.organization_id, rating=rating, first=first)
    if rating in LOW_RATINGS and mark_once(SURVEY_JOB, f"ticket:{ticket.id}", "low_rating"):
        for admin in db.session.scalars(select(User).where(
                User.role == Role.STAFF_ADMIN, User.active.is_(True))):
            send_template(admin, "satisfaction_low", ticket=ticket, survey=survey,
                          label=rating_labels()[rating])
    db.session.flush()
    return survey
