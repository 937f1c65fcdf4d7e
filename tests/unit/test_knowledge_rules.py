"""The knowledge base's pure rules: an article's Markdown made safe, and which language a
reader gets."""
from __future__ import annotations

import pytest

from portal.knowledge.markdown import plain, render
from portal.knowledge.reading import localized


@pytest.mark.parametrize(("markdown", "present", "absent"), [
    ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))", "href"),
    ("[x](JaVaScRiPt:alert(1))", "", "href"),
    ('<a href="javascript:alert(1)">x</a>', "&lt;a", "<a "),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "", "href"),
    ("![t](https://evil.example/t.png)", "<img", "evil.example"),
    ("![t](//evil.example/t.png)", "<img", "evil.example"),
    ("![t](/knowledge/1/attachments/2?inline=1)", 'src="/knowledge/1/attachments/2?inline=1"', "evil"),
    ("[docs](https://learn.example/vpn)", 'href="https://learn.example/vpn"', "javascript"),
    ("[req](/requests/new)", 'href="/requests/new"', "javascript"),
    ("<img src=x onerror=alert(1)>", "&lt;img", "<img"),
    ("**太字** と `0x80070005`", "<strong>太字</strong>", "<script"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>", "<script"),
], ids=["script", "js-link", "js-link-case", "raw-a", "data-link", "outside-image",
        "protocol-relative-image", "own-image", "https-link", "own-link", "onerror", "emphasis",
        "table"])
def test_render_keeps_what_an_article_needs_and_nothing_that_runs(markdown, present, absent):
    html = render(markdown)
    assert present in html
    assert absent not in html


def test_links_are_marked_noopener():
    assert 'rel="noopener noreferrer nofollow"' in render("[a](https://example.com)")


def test_plain_text_for_the_index_has_no_markup():
    assert plain("## 見出し\n\n**VPN** に &接続 `0x80070005`") == "見出し\nVPN に &接続 0x80070005\n"


@pytest.mark.parametrize(("texts", "wanted", "language", "only_other"), [
    ({"ja": ("日本語", "本文"), "en": ("English", "Body")}, "ja", "ja", False),
    ({"ja": ("日本語", "本文"), "en": ("English", "Body")}, "en", "en", False),
    ({"ja": ("日本語", "本文"), "en": ("", "")}, "en", "ja", True),
    ({"ja": ("", ""), "en": ("English", "Body")}, "ja", "en", True),
    ({"ja": ("日本語", "本文"), "en": ("", "")}, "fr", "ja", False),
], ids=["ja-both", "en-both", "en-reader-ja-only", "ja-reader-en-only", "unknown-language"])
def test_a_reader_gets_their_language_where_it_exists(texts, wanted, language, only_other):
    shown = localized(texts, wanted)
    assert (shown.language, shown.only_other) == (language, only_other)
    assert shown.title == texts[language][0]
