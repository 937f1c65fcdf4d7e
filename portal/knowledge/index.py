"""Articles in the shared search index (portal.search, index ARTICLES): what of an article is
searched, who may find it, and the two ways of asking (a search, the filing suggestions).

An article is one unit of its own index (key `article id << 32`: its group is its id, so the
index answers article ids as the requests' index answers request ids). The unit's text is its
titles, its bodies as plain text and its attachments' names. Who may read it is written into
the unit itself, so the index answers it without a join:
- the scope is the organisations it is shown to, or EVERYONE (0) for all of them; a customer
  asks for (0 or their organisation);
- a published article's text is the document's public part, a draft's the staff-only part: a
  customer's query never reads staff-only text, so a draft cannot be found by a customer.
Services call `refresh` after each change of an article, inside the same transaction.
"""
from __future__ import annotations

from sqlalchemy import select

from portal import search
from portal.db import db
from portal.knowledge.markdown import plain
from portal.knowledge.models import Article, ArticleAttachment

EVERYONE = 0
# A restricted article with no organisation (the service refuses to save one today): a scope no
# organisation has (ids stop at 2**31 - 1), so the index never widens what the pages allow.
NOBODY = 2**31
ARTICLE = 0  # the one kind of unit of an article: its whole text is one unit (portal.search.key)
SUGGESTION_CANDIDATES = 300


def document(article: Article, attachment_names: list[str]) -> search.Document:
    text = "\n".join(part for part in (
        article.title_ja, article.title_en, plain(article.body_ja), plain(article.body_en),
        *attachment_names) if part)
    scope = (EVERYONE,) if article.for_everyone else tuple(
        sorted(org.id for org in article.organizations)) or (NOBODY,)
    return search.Document(search.key(article.id, ARTICLE), scope, text if article.published else "",
                           "" if article.published else text)


def refresh(articles: list[Article]) -> None:
    """Write these articles' documents again (after a save), in the caller's transaction."""
    db.session.flush()
    ids = [a.id for a in articles]
    names: dict[int, list[str]] = {}
    for row in db.session.execute(select(ArticleAttachment.article_id, ArticleAttachment.filename)
                                  .where(ArticleAttachment.article_id.in_(ids))
                                  .order_by(ArticleAttachment.id)):
        names.setdefault(row.article_id, []).append(row.filename)
    search.put([document(a, names.get(a.id, [])) for a in articles], index=search.ARTICLES)


def reindex(batch: int = 500) -> int:
    """Every article's document again; returns how many."""
    search.clear(index=search.ARTICLES)
    last, count = 0, 0
    while True:
        articles = list(db.session.scalars(select(Article).where(Article.id > last)
                                           .order_by(Article.id).limit(batch)))
        if not articles:
            return count
        refresh(articles)
        count, last = count + len(articles), articles[-1].id


def _scope(user):
    return None if user.is_staff else (EVERYONE, user.organization_id)


def found(user, text: str, limit: int = search.RANKED) -> tuple[int, list[int]]:
    """How many articles match every word of `text` for this user, and their ids by relevance
    (the newest `limit` ranked)."""
    query = search.parse(text)
    if not query:
        return 0, []
    internal = user.is_staff
    total, ids, scores = search.ranked(query, internal=internal, scope=_scope(user), limit=limit,
                                       index=search.ARTICLES)
    return total, search.by_score(ids, scores)


def suggested(user, text: str, limit: int = 5) -> list[int]:
    """Published articles like a request being typed (any of its words, by relevance): the
    same cut as "similar past requests" (portal.search.similar_query)."""
    query = search.similar_query(text)
    if not query:
        return []
    _total, ids = search.newest(query, internal=False, scope=_scope(user) or None,
                                limit=SUGGESTION_CANDIDATES, index=search.ARTICLES)
    scores = search.scores(query, ids, internal=False, index=search.ARTICLES)
    return search.by_score(ids, scores)[:limit]


def snippets(ids: list[int], text: str, internal: bool) -> dict:
    """The first matching passage of each article, highlighted and escaped."""
    query = search.parse(text)
    passages = {}
    for article_id, texts in search.texts(ids, internal=internal, index=search.ARTICLES).items():
        passage = search.snippet(texts if not internal else [t for t in texts if t], query)
        if passage is not None:
            passages[article_id] = passage
    return passages
