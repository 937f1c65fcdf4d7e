"""/api/v1/articles: the knowledge base in JSON, through the same services as the pages."""
from __future__ import annotations

import dataclasses

from flask import abort

from portal.accounts.tenancy import organization_by_slug
from portal.core.i18n import _
from portal.knowledge import api_schemas as schemas
from portal.knowledge import index, presenters, services
from portal.knowledge.services import ArticleError
from portal.web.api import api_user, instant, operation

PER_PAGE = 20


def _article_json(article) -> dict:
    lang = api_user().locale
    shown = presenters.shown(article, lang)
    return {"id": article.id, "title": shown.title, "language": shown.language,
            "body_html": str(presenters.body_html(article, lang)),
            "updated_at": instant(article.updated_at)}


def _staff_json(article) -> dict:
    return {**_article_json(article), "title_ja": article.title_ja, "body_ja": article.body_ja,
            "title_en": article.title_en, "body_en": article.body_en,
            "published": article.published,
            "organizations": None if article.for_everyone else sorted(
                o.slug for o in article.organizations)}


def _summary(article, lang: str, snippet=None) -> dict:
    shown = presenters.shown(article, lang)
    item = {"id": article.id, "title": shown.title, "language": shown.language,
            "category": presenters.category_name(article.category, lang) or None,
            "updated_at": instant(article.updated_at)}
    return {**item, "snippet": str(snippet)} if snippet is not None else item


@operation("get", "/articles", summary="Knowledge-base articles the user may read (search with q)",
           query=schemas.ArticleQuery, answer=schemas.ArticlePage)
def list_articles(query: schemas.ArticleQuery):
    user, lang = api_user(), api_user().locale
    start = (query.page - 1) * PER_PAGE
    if query.q.strip():
        total, ids = index.found(user, query.q)
        articles = services.by_ids(user, ids[start:start + PER_PAGE])
        snippets = index.snippets([a.id for a in articles], query.q, user.is_staff)
        items = [_summary(a, lang, snippets.get(a.id, "")) for a in articles]
    else:
        total, articles = services.page_of(user, query.page, PER_PAGE)
        items = [_summary(a, lang) for a in articles]
    return {"items": items, "page": query.page, "per_page": PER_PAGE, "total": total}


def _readable_or_404(article_id: int):
    article = services.visible(api_user(), article_id)
    if article is None:
        abort(404, _("No such article."))
    return article


@operation("get", "/articles/<int:article_id>", summary="One article, in the user's language "
           "where it exists", answer=schemas.Article)
def get_article(article_id: int):
    return _article_json(_readable_or_404(article_id))


def _staff_only() -> None:
    if not api_user().is_staff:
        abort(403, _("Only provider staff can do this."))


def _organization_ids(slugs) -> tuple[int, ...] | None:
    if slugs is None:
        return None
    found = [organization_by_slug(slug) for slug in slugs]
    if any(org is None for org in found):
        raise ArticleError(_("Choose one of the organisations."), "organizations")
    return tuple(org.id for org in found)


@operation("post", "/articles", summary="Staff: write an article", body=schemas.NewArticle,
           answer=schemas.StaffArticle, status=201, errors=(403,))
def create_article(body: schemas.NewArticle):
    _staff_only()
    text = services.ArticleText(body.title_ja, body.body_ja, body.title_en, body.body_en,
                                body.published, _organization_ids(body.organizations))
    return _staff_json(services.save(api_user(), text))


@operation("patch", "/articles/<int:article_id>", summary="Staff: change an article (the "
           "fields sent)", body=schemas.ArticleChange, answer=schemas.StaffArticle, errors=(403,))
def patch_article(article_id: int, body: schemas.ArticleChange):
    _staff_only()
    article = _readable_or_404(article_id)
    changes = {name: getattr(body, name) for name in body.model_fields_set if name != "organizations"}
    changes = {name: value for name, value in changes.items() if value is not None}
    if "organizations" in body.model_fields_set:
        changes["organization_ids"] = _organization_ids(body.organizations)
    text = dataclasses.replace(services.text_of(article), **changes)
    return _staff_json(services.save(api_user(), text, article))
