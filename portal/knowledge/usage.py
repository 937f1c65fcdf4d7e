"""What readers do with articles: reads, "did this help?", deflections, and the staff's figures.

A deflection is a filing that an article ended ("this answered my question" on an article
opened from the new-request form's suggestions), counted per article and month in the
organisation's zone, like the allowance. "Read, then filed anyway" pairs a request with the
articles its requester opened in the hour before filing it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from portal.core import clock
from portal.db import db
from portal.knowledge.models import Article, ArticleFeedback, ArticleRead, Deflection
from portal.tickets.models import Ticket
from portal.tickets.ranking import current_month

FILED_ANYWAY_WINDOW = timedelta(hours=1)


def read(user, article: Article, from_filing: bool) -> None:
    """Note that a customer opened an article (staff reading are not counted)."""
    if user.is_staff:
        return
    db.session.add(ArticleRead(article_id=article.id, user_id=user.id,
                               organization_id=user.organization_id, from_filing=from_filing,
                               month=current_month(user.organization), read_at=clock.now()))


def feedback(user, article: Article, helpful: bool) -> ArticleFeedback:
    """Record (or change) the reader's "did this help?"."""
    row = db.session.scalar(select(ArticleFeedback).where(ArticleFeedback.article_id == article.id,
                                                          ArticleFeedback.user_id == user.id))
    if row is None:
        row = ArticleFeedback(article_id=article.id, user_id=user.id,
                              organization_id=user.organization_id, helpful=helpful)
        db.session.add(row)
    row.helpful, row.created_at = helpful, clock.now()
    return row


def feedback_of(user, article: Article) -> bool | None:
    return db.session.scalar(select(ArticleFeedback.helpful).where(
        ArticleFeedback.article_id == article.id, ArticleFeedback.user_id == user.id))


def deflect(user, article: Article) -> Deflection:
    """"This answered my question": the filing ends, nothing is filed, one deflection counts."""
    feedback(user, article, True)
    deflection = Deflection(article_id=article.id, user_id=user.id,
                            organization_id=user.organization_id,
                            month=current_month(user.organization), created_at=clock.now())
    db.session.add(deflection)
    return deflection


@dataclass(frozen=True)
class ArticleFigures:
    article: Article
    reads: int
    deflections: int
    helpful: int
    not_helpful: int


def _counts(column, model, month: str) -> dict[int, int]:
    return dict(db.session.execute(select(column, func.count()).where(model.month == month)
                                   .group_by(column)).all())


def figures(month: str) -> list[ArticleFigures]:
    """Per article with any activity: the month's reads and deflections, and all feedback."""
    reads = _counts(ArticleRead.article_id, ArticleRead, month)
    deflections = _counts(Deflection.article_id, Deflection, month)
    votes: dict[int, list[int]] = {}
    for article_id, helpful, count in db.session.execute(
            select(ArticleFeedback.article_id, ArticleFeedback.helpful, func.count())
            .group_by(ArticleFeedback.article_id, ArticleFeedback.helpful)):
        votes.setdefault(article_id, [0, 0])[0 if helpful else 1] += count
    ids = set(reads) | set(deflections) | set(votes)
    articles = db.session.scalars(select(Article).where(Article.id.in_(ids))) if ids else []
    rows = [ArticleFigures(a, reads.get(a.id, 0), deflections.get(a.id, 0),
                           *votes.get(a.id, [0, 0])) for a in articles]
    return sorted(rows, key=lambda row: (-row.deflections, -row.reads, row.article.id))


@dataclass(frozen=True)
class FiledAnyway:
    ticket: Ticket
    articles: list[Article]


def filed_anyway(month: str) -> list[FiledAnyway]:
    """The month's requests whose requester had read articles in the hour before filing."""
    reads: dict[int, list[ArticleRead]] = {}
    for row in db.session.scalars(select(ArticleRead).where(ArticleRead.month == month)):
        reads.setdefault(row.user_id, []).append(row)
    if not reads:
        return []
    tickets = db.session.scalars(select(Ticket).where(
        Ticket.requester_id.in_(list(reads)), Ticket.month == month).order_by(Ticket.id.desc()))
    found = []
    for ticket in tickets:
        before = {r.article_id for r in reads[ticket.requester_id]
                  if ticket.received_at - FILED_ANYWAY_WINDOW <= r.read_at <= ticket.received_at}
        if before:
            articles = list(db.session.scalars(select(Article).where(Article.id.in_(before))))
            found.append(FiledAnyway(ticket, articles))
    return found
