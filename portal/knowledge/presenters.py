"""How an article is shown to one reader: their language where it exists, its HTML sanitised."""
from __future__ import annotations

from markupsafe import Markup

from portal.knowledge.markdown import render
from portal.knowledge.models import Article, ArticleCategory
from portal.knowledge.reading import Localized, localized


def shown(article: Article, language: str) -> Localized:
    return localized({"ja": (article.title_ja, article.body_ja),
                      "en": (article.title_en, article.body_en)}, language)


def title(article: Article, language: str) -> str:
    return shown(article, language).title


def body_html(article: Article, language: str) -> Markup:
    """The body in the reader's language (else the other), rendered and sanitised: safe to
    put into a page as it is."""
    return Markup(render(shown(article, language).body))  # noqa: S704 (sanitised by nh3)


def category_name(category: ArticleCategory | None, language: str) -> str:
    if category is None:
        return ""
    return category.name_en if language == "en" else category.name_ja
