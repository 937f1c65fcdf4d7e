"""An article's Markdown as safe HTML (pure: no Flask, no database).

markdown-it-py turns the Markdown into HTML with raw HTML switched off (a `<script>` typed in
an article comes out as text), and nh3 (ammonia) then keeps only the tags and attributes an
article needs: links only to http(s), mailto or the portal's own paths (never `javascript:`),
and images only from the portal itself (a path such as /knowledge/3/attachments/7), so an
article can neither run code nor make a reader's browser fetch another server.
docs/decisions/knowledge.md.
"""
from __future__ import annotations

import html
from functools import cache

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code",
        "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
        "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}



@cache
def _parser():
    """The one parser, made on first use: markdown-it and nh3 are imported only by what renders
    an article (a page, a save), not by every command's start (docs/performance.md)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                      ).enable(["table", "strikethrough"])


def own_path(url: str) -> bool:
    """A path of the portal itself: /…, never //host or /\\host (which browsers treat as a host)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if own_path(value) else None
    if element == "a" and attribute == "href" and ":" not in value.split("/")[0]:
        return value  # a relative link (nh3 checks the schemes of the others)
    return value


def render(markdown: str) -> str:
    """The article's HTML, sanitised; an empty text gives ''."""
    if not markdown or not markdown.strip():
        return ""
    import nh3

    return nh3.clean(_parser().render(markdown), tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     attribute_filter=_filter, link_rel="noopener noreferrer nofollow")


def plain(markdown: str) -> str:
    """The article's text without markup, for the search index and snippets."""
    if not markdown:
        return ""
    import nh3

    return html.unescape(nh3.clean(_parser().render(markdown), tags=set()))
