"""Web addresses in a message as links: only http(s), everything else escaped text."""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.core.links import linkify

REL = 'rel="noopener noreferrer nofollow"'


def _link(url: str) -> str:
    return f'<a href="{url}" class="url" {REL} target="_blank">{url}</a>'


@pytest.mark.parametrize(("text", "expected"), [
    ("see https://example.jp/a", "see " + _link("https://example.jp/a")),
    ("HTTP://EXAMPLE.JP", _link("HTTP://EXAMPLE.JP")),
    ("https://example.jp/a.", _link("https://example.jp/a") + "."),
    ("(https://example.jp/a)", "(" + _link("https://example.jp/a") + ")"),
    ("https://ja.wikipedia.org/wiki/A_(B)", _link("https://ja.wikipedia.org/wiki/A_(B)")),
    ("詳細はhttps://example.jp/aを見てください。",
     "詳細は" + _link("https://example.jp/a") + "を見てください。"),
    ("「https://example.jp/a」", "「" + _link("https://example.jp/a") + "」"),
    ("https://example.jp/?a=1&b=2", _link("https://example.jp/?a=1&amp;b=2")),
    ("two: http://a.jp, https://b.jp!", "two: " + _link("http://a.jp") + ", "
     + _link("https://b.jp") + "!"),
    ("<https://example.jp/a>", "&lt;" + _link("https://example.jp/a") + "&gt;"),
    ('https://example.jp/"onmouseover="alert(1)', _link("https://example.jp/")
     + "&#34;onmouseover=&#34;alert(1)"),
    ("https://", "https://"),
    ("https:///etc/passwd", "https:///etc/passwd"),
    ("xhttps://example.jp", "xhttps://example.jp"),
    ("ftp://example.jp/file", "ftp://example.jp/file"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("<script>alert(1)</script> https://example.jp",
     "&lt;script&gt;alert(1)&lt;/script&gt; " + _link("https://example.jp")),
    ("<a href=\"javascript:alert(1)\">x</a>",
     "&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;"),
    ("", ""),
], ids=["in a sentence", "upper case scheme", "full stop after", "in brackets",
        "brackets of the address", "Japanese around it", "Japanese brackets", "ampersand",
        "two and punctuation", "angle brackets", "a quote cannot leave the attribute",
        "scheme alone", "no host", "inside a word", "other scheme", "javascript",
        "script tag", "typed link", "empty"])
def test_addresses_become_links_and_the_rest_stays_text(text, expected):
    assert str(linkify(text)) == expected


def test_nothing_is_none():
    assert str(linkify(None)) == ""


@given(st.text())
def test_the_visible_text_is_always_the_typed_text(text):
    """Whatever is typed, the page shows exactly it: the links only add markup around it, and
    no tag but <a> with an http(s) address ever appears."""
    out = str(linkify(text))
    tags = re.findall(r"<[^>]*>", out)
    assert all(re.fullmatch(r'<a href="https?://[^"<>]+" class="url" ' + REL
                            + r' target="_blank">|</a>', tag, re.IGNORECASE) for tag in tags)
    assert html.unescape(re.sub(r"<[^>]*>", "", out)) == text
