"""The queries, bodies and answers of /api/v1/articles (the OpenAPI description is made from
them and every request is checked against them). Limits are the service's own."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from portal.knowledge.services import BODY_MAX, TITLE_MAX
from portal.web.api_schemas import Answer, Body, Id, Instant, Query, QueryInt, Slug, Text

Language = Literal["ja", "en"]


class ArticleQuery(Query):
    q: Text(200) = Field("", description="search: Japanese words, English words, error codes; "
                          "every word must match; by relevance")
    page: QueryInt(1, 100_000) = 1


class ArticleSummary(Answer):
    id: Id
    title: str = Field(description="in the user's language where the article has it")
    language: Language
    category: str | None
    updated_at: Instant
    snippet: str | None = Field(None, description="with `q`: the passage that matched, "
                                "HTML-escaped, the words in <mark>…</mark>")


class ArticlePage(Answer):
    items: list[ArticleSummary]
    page: int
    per_page: int
    total: int


class Article(Answer):
    id: Id
    title: str
    body_html: str = Field(description="the Markdown rendered and sanitised")
    language: Language = Field(description="the language shown: the user's where it exists")
    updated_at: Instant


class StaffArticle(Article):
    title_ja: str
    body_ja: str
    title_en: str
    body_en: str
    published: bool
    organizations: list[Slug] | None = Field(description="null: every organisation")


class NewArticle(Body):
    title_ja: Text(TITLE_MAX) = ""
    body_ja: Text(BODY_MAX) = ""
    title_en: Text(TITLE_MAX) = ""
    body_en: Text(BODY_MAX) = ""
    published: bool = False
    organizations: list[Slug] | None = Field(None, max_length=1000,
                                             description="slugs; null or absent: every organisation")


class ArticleChange(Body):
    """Only the fields sent change; `organizations: null` makes it for every organisation."""

    title_ja: Text(TITLE_MAX) | None = None
    body_ja: Text(BODY_MAX) | None = None
    title_en: Text(TITLE_MAX) | None = None
    body_en: Text(BODY_MAX) | None = None
    published: bool | None = None
    organizations: list[Slug] | None = Field(None, max_length=1000)
