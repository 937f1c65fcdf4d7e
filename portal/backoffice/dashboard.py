"""The staff dashboard's figures, each in one aggregate query."""
from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.accounts.models import Contract, Organization
from portal.core import clock
from portal.db import db
from portal.tickets.allowance import month_of
from portal.tickets.models import OPEN_STATUSES, Ticket

JST = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Figures:
    open_by_severity: dict[str, int]
    answered: int
    met: int
    missed_open: int
    over_allowance: list[tuple[Organization, int, int]]
    over_allowance_total: int
    sessions_this_week: list
    outbriefs_due: list

    @property
    def met_percent(self) -> int | None:
        return round(100 * self.met / self.answered) if self.answered else None


def figures() -> Figures:
    now = clock.now()
    month = month_of(now)
    open_rows = db.session.execute(
        select(Ticket.severity, func.count(Ticket.id))
        .where(Ticket.status.in_(OPEN_STATUSES)).group_by(Ticket.severity)).all()
    answered, met = db.session.execute(
        select(func.count(Ticket.id), func.count(Ticket.id).filter(Ticket.response_met.is_(True)))
        .where(Ticket.month == month, Ticket.first_response_at.is_not(None))).one()
    missed_open = db.session.scalar(select(func.count(Ticket.id)).where(
        Ticket.status.in_(OPEN_STATUSES), Ticket.first_response_at.is_(None),
        Ticket.response_due_at < now))
    return Figures({key or "Q": count for key, count in open_rows}, answered or 0, met or 0,
                   missed_open or 0, *_over_allowance(month, now.astimezone(JST).date()),
                   _sessions_this_week(now),
                   _outbriefs_due(now))


def _sessions_this_week(now) -> list:
    """Workshop sessions starting in the next seven days (JST), with their seats taken."""
    from datetime import timedelta

    from sqlalchemy.orm import joinedload

    from portal.workshops.models import SCHEDULED, WorkshopSession

    today = now.astimezone(JST).date()
    return list(db.session.scalars(
        select(WorkshopSession).where(WorkshopSession.status == SCHEDULED,
                                      WorkshopSession.starts_on >= today,
                                      WorkshopSession.starts_on < today + timedelta(days=7))
        .options(joinedload(WorkshopSession.workshop)).order_by(WorkshopSession.starts_on)))


def _outbriefs_due(now) -> list:
    """Draft outbriefs due within a week or already overdue, soonest first."""
    from datetime import timedelta

    from sqlalchemy.orm import joinedload

    from portal.documents import rules
    from portal.documents.models import Outbrief

    limit = now.astimezone(JST).date() + timedelta(days=7)
    last_engagement_day = limit - (rules.due_on(limit) - limit)  # due_on(end) <= limit
    return list(db.session.scalars(
        select(Outbrief).where(Outbrief.status == rules.DRAFT,
                               Outbrief.engagement_end <= last_engagement_day)
        .options(joinedload(Outbrief.organization)).order_by(Outbrief.engagement_end)))


def _over_allowance(month: str, today, limit: int = 20) -> tuple[list, int]:
    """Organisations over their current contract's allowance: the 20 furthest over, and how many.

    Decided in SQL (counts joined to the contract covering today), so the dashboard stays fast
    however many organisations there are.
    """
    counts = (select(Ticket.organization_id.label("org_id"), func.count(Ticket.id).label("counted"))
              .where(Ticket.month == month, Ticket.counted.is_(True), Ticket.voided.is_(False))
              .group_by(Ticket.organization_id).subquery())
    over = (select(Organization, counts.c.counted, Contract.included_requests)
            .join(counts, counts.c.org_id == Organization.id)
            .join(Contract, (Contract.organization_id == Organization.id)
                  & (Contract.term_start <= today) & (Contract.term_end >= today))
            .where(counts.c.counted > Contract.included_requests))
    total = db.session.scalar(select(func.count()).select_from(over.subquery()))
    rows = db.session.execute(
        over.order_by((counts.c.counted - Contract.included_requests).desc(), Organization.name)
        .limit(limit)).all()
    return [tuple(row) for row in rows], total or 0



@dataclass(frozen=True)
class Satisfaction:
    """The survey's figures for the dashboard: this month per request, staff member and
    organisation, and the last six months for the chart."""

    month: str
    summary: object
    recent: list
    per_staff: list
    per_organization: list
    history: list


def satisfaction() -> Satisfaction:
    from portal.core.months import previous_months
    from portal.tickets import survey_figures

    month = month_of(clock.now())
    return Satisfaction(month, survey_figures.summary(month),
                        survey_figures.items(month, limit=10), survey_figures.per_staff(month),
                        survey_figures.per_organization(month),
                        survey_figures.per_month(previous_months(month, 6)))
