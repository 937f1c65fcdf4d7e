"""Writing and reading articles: one service for the back office, the customer pages and the API.

Services only flush; the request commits. Every save keeps a revision (who, when, every text)
and writes the article's document into the search index in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select, true

from portal.accounts.models import Organization
from portal.accounts.services import record
from portal.core import clock
from portal.core.errors import DomainError
from portal.core.i18n import _, _l
from portal.db import db, get
from portal.knowledge import index
from portal.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleCategory,
    ArticleOrganization,
    ArticleRevision,
)
from portal.tickets import attachments as files

TITLE_MAX, BODY_MAX = 200, 50_000


class ArticleError(DomainError):
    """A problem with an article that its writer can fix; `field` names the form field."""


@dataclass(frozen=True)
class ArticleText:
    """What a writer sends: the texts, where it is shown, and whether it is published.
    `organization_ids` None means every organisation."""

    title_ja: str = ""
    body_ja: str = ""
    title_en: str = ""
    body_en: str = ""
    published: bool = False
    organization_ids: tuple[int, ...] | None = None
    category_id: int | None = None
    reviewed_on: date | None = None


def _check(text: ArticleText) -> None:
    if not (text.title_ja.strip() or text.title_en.strip()):
        raise ArticleError(_l("Give the article a title in Japanese or English."), "title_ja")
    for lang in ("ja", "en"):
        title, body = getattr(text, f"title_{lang}").strip(), getattr(text, f"body_{lang}").strip()
        if bool(title) != bool(body):
            field = f"body_{lang}" if title else f"title_{lang}"
            raise ArticleError(_l("A language needs both a title and a text."), field)
    if text.organization_ids is not None and not text.organization_ids:
        raise ArticleError(_l("Choose at least one organisation, or every organisation."),
                           "organizations")
    if text.category_id is not None and get(ArticleCategory, text.category_id) is None:
        raise ArticleError(_l("Choose one of the categories."), "category")


def _organizations(ids: tuple[int, ...]) -> list[Organization]:
    found = list(db.session.scalars(select(Organization).where(Organization.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise ArticleError(_l("Choose one of the organisations."), "organizations")
    return found


def save(actor, text: ArticleText, article: Article | None = None,
         source_ticket_id: int | None = None) -> Article:
    """Create or change an article (staff): checked, a revision kept, indexed."""
    _check(text)
    if article is None:
        article = Article(author_id=actor.id, source_ticket_id=source_ticket_id)
        db.session.add(article)
    for name in ("title_ja", "body_ja", "title_en", "body_en"):
        setattr(article, name, getattr(text, name).strip())
    article.published, article.category_id = text.published, text.category_id
    article.reviewed_on = text.reviewed_on
    article.for_everyone = text.organization_ids is None
    article.organizations = [] if article.for_everyone else _organizations(text.organization_ids)
    article.updated_at = clock.now()
    db.session.flush()
    _revision(actor, article)
    index.refresh([article])
    record(actor, "article.saved", article, None, published=article.published)
    return article


def _revision(actor, article: Article) -> None:
    number = (db.session.scalar(select(func.max(ArticleRevision.number))
                                .where(ArticleRevision.article_id == article.id)) or 0) + 1
    db.session.add(ArticleRevision(
        article_id=article.id, number=number, editor_id=actor.id, created_at=clock.now(),
        title_ja=article.title_ja, body_ja=article.body_ja, title_en=article.title_en,
        body_en=article.body_en, published=article.published))


def text_of(article: Article) -> ArticleText:
    """The article as a writer would send it again (the base of a partial change)."""
    return ArticleText(
        article.title_ja, article.body_ja, article.title_en, article.body_en, article.published,
        None if article.for_everyone else tuple(o.id for o in article.organizations),
        article.category_id, article.reviewed_on)


def add_attachments(article: Article, uploads, actor) -> list[ArticleAttachment]:
    """Store files of an article (the same limits as a request's) and index their names."""
    added = []
    for upload in uploads or []:
        if upload and upload.filename:
            stored = files.store(upload, "attachments")
            added.append(ArticleAttachment(article_id=article.id, uploaded_by_id=actor.id,
                                           filename=stored.filename,
                                           stored_name=stored.stored_name, size=stored.size))
    db.session.add_all(added)
    if added:
        index.refresh([article])
    return added


def add_category(name_ja: str, name_en: str) -> ArticleCategory:
    if not (name_ja.strip() and name_en.strip()):
        raise ArticleError(_l("Name the category in Japanese and English."), "name_ja")
    position = (db.session.scalar(select(func.max(ArticleCategory.position))) or 0) + 1
    category = ArticleCategory(name_ja=name_ja.strip(), name_en=name_en.strip(), position=position)
    db.session.add(category)
    db.session.flush()
    return category


def categories() -> list[ArticleCategory]:
    return list(db.session.scalars(select(ArticleCategory).order_by(ArticleCategory.position,
                                                                    ArticleCategory.id)))


# ---- who may read what ----

def readable(user):
    """The condition on Article of what `user` may read: staff everything, drafts included;
    a customer published articles for every organisation or for theirs."""
    if user.is_staff:
        return true()
    restricted_to_them = exists().where(ArticleOrganization.article_id == Article.id,
                                        ArticleOrganization.organization_id == user.organization_id)
    return Article.published.is_(True) & or_(Article.for_everyone.is_(True), restricted_to_them)


def visible(user, article_id: int) -> Article | None:
    """The article if `user` may read it, else None (a draft and another organisation's
    restricted article are exactly like a missing one)."""
    if get(Article, article_id) is None:
        return None
    return db.session.scalar(select(Article).where(Article.id == article_id, readable(user)))


def listed(user, category_id: int | None = None, limit: int = 200) -> list[Article]:
    query = select(Article).where(readable(user))
    if category_id is not None:
        query = query.where(Article.category_id == category_id)
    return list(db.session.scalars(query.order_by(Article.updated_at.desc(), Article.id.desc())
                                   .limit(limit)))


def page_of(user, page: int, per_page: int) -> tuple[int, list[Article]]:
    """How many articles the user may read, and one page of them, newest change first."""
    total = db.session.scalar(select(func.count()).select_from(Article).where(readable(user)))
    items = db.session.scalars(select(Article).where(readable(user)).order_by(
        Article.updated_at.desc(), Article.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return total or 0, list(items)


def by_ids(user, ids: list[int]) -> list[Article]:
    """These articles in this order, leaving out any the user may not read."""
    if not ids:
        return []
    rows = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids),
                                                                     readable(user)))}
    return [rows[i] for i in ids if i in rows]


def attachment_of(article: Article, attachment_id: int) -> ArticleAttachment | None:
    found = get(ArticleAttachment, attachment_id)
    return found if found is not None and found.article_id == article.id else None


def attachments_of(article: Article) -> list[ArticleAttachment]:
    return list(db.session.scalars(select(ArticleAttachment).where(
        ArticleAttachment.article_id == article.id).order_by(ArticleAttachment.id)))


def categories_for(org) -> list[tuple[ArticleCategory, int]]:
    """The categories with how many published articles the organisation's people may read in
    each (the service plan lists them)."""
    restricted = exists().where(ArticleOrganization.article_id == Article.id,
                                ArticleOrganization.organization_id == org.id)
    counts = dict(db.session.execute(
        select(Article.category_id, func.count()).where(
            Article.published.is_(True), or_(Article.for_everyone.is_(True), restricted))
        .group_by(Article.category_id)).all())
    return [(category, counts.get(category.id, 0)) for category in categories()]


def revisions(article: Article) -> list[ArticleRevision]:
    return list(db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id).order_by(ArticleRevision.number.desc())))


def not_found() -> ArticleError:
    error = ArticleError(_("No such article."))
    error.status, error.code = 404, "not_found"
    return error
