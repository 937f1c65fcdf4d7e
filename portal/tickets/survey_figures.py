"""The satisfaction survey's figures: per request, per staff member, per organisation and month,
and over a contract term — each one aggregate query over `satisfaction_surveys` (only the
answered ones count). Read by the back-office dashboard, the usage page, `GET /satisfaction`
and the service plan PDF."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import Organization, User
from portal.db import db
from portal.tickets.models import SatisfactionSurvey
from portal.tickets.survey import RATINGS

S = SatisfactionSurvey


@dataclass(frozen=True)
class Summary:
    """Count, average (None without answers) and how many gave each rating."""

    count: int
    average: float | None
    by_rating: dict[str, int]


@dataclass(frozen=True)
class Row:
    """One line of a breakdown (a staff member, an organisation, a month)."""

    label: str
    count: int
    average: float | None


def _answered(query, month: str | None = None, org_id: int | None = None,
              months: tuple[str, str] | None = None):
    query = query.where(S.rating.is_not(None))
    if month:
        query = query.where(S.month == month)
    if months:
        query = query.where(S.month >= months[0], S.month <= months[1])
    if org_id is not None:
        query = query.where(S.organization_id == org_id)
    return query


def _average(total, count) -> float | None:
    return round(total / count, 2) if count else None


def summary(month: str | None = None, org_id: int | None = None,
            months: tuple[str, str] | None = None) -> Summary:
    rows = db.session.execute(_answered(
        select(S.rating, func.count()).group_by(S.rating), month, org_id, months)).all()
    by_rating = {str(r): 0 for r in RATINGS}
    for rating, count in rows:
        by_rating[str(rating)] = count
    count = sum(by_rating.values())
    total = sum(int(r) * n for r, n in by_rating.items())
    return Summary(count, _average(total, count), by_rating)


def items(month: str, org_id: int | None = None, limit: int = 500) -> list[SatisfactionSurvey]:
    """The answered surveys of the month (per request), newest answer first."""
    return list(db.session.scalars(_answered(select(S), month, org_id)
                                   .options(joinedload(S.ticket), joinedload(S.staff))
                                   .order_by(S.rated_at.desc(), S.ticket_id.desc()).limit(limit)))


def per_staff(month: str, org_id: int | None = None) -> list[Row]:
    rows = db.session.execute(_answered(
        select(User.name, func.count(), func.sum(S.rating)).join(User, User.id == S.staff_id)
        .group_by(User.id, User.name), month, org_id).order_by(User.name)).all()
    return [Row(name, count, _average(total, count)) for name, count, total in rows]


def per_organization(month: str) -> list[Row]:
    rows = db.session.execute(_answered(
        select(Organization.name, func.count(), func.sum(S.rating))
        .join(Organization, Organization.id == S.organization_id)
        .group_by(Organization.id, Organization.name), month).order_by(Organization.name)).all()
    return [Row(name, count, _average(total, count)) for name, count, total in rows]


def per_month(months: list[str], org_id: int | None = None) -> list[Row]:
    """Count and average for each of `months` (oldest first), zero where none answered."""
    rows = db.session.execute(_answered(
        select(S.month, func.count(), func.sum(S.rating)).group_by(S.month), None, org_id,
        (min(months), max(months)))).all()
    found = {month: (count, total) for month, count, total in rows}
    return [Row(m, found.get(m, (0, 0))[0], _average(found.get(m, (0, 0))[1],
                                                     found.get(m, (0, 0))[0])) for m in months]

