"""Web addresses in plain text (a request's messages) as links (pure: no Flask, no database).

Only `http://` and `https://` addresses become links; everything else, a `javascript:` or a
`<script>` included, stays escaped text. The text is cut into addresses and the rest *before*
anything is escaped, and each piece is escaped on its own, so no typed character can ever
close the link's attribute or open a tag. An address ends at a space, at a character outside
printable ASCII (Japanese text often follows an address without a space: 「https://example.jp/a
を見てください」) and before trailing punctuation (a closing bracket stays when the address
opened it, as in Wikipedia's addresses). docs/decisions/pages.md.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

REL = "noopener noreferrer nofollow"
# not after a letter or digit ("xhttp://" is no address); a host of at least one character
_URL = re.compile(r"(?<![A-Za-z0-9])https?://[!#-;=?-~]+", re.IGNORECASE)
_TRAILING = ".,;:!?'*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trimmed(url: str) -> str:
    """The address without the punctuation that ends the sentence around it."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def _has_host(url: str) -> bool:
    rest = url.split("://", 1)[1]
    return bool(rest) and rest[0] not in "/?#@:"


def linkify(text: str | None) -> Markup:
    """The text, escaped, with its http(s) addresses as links that open in a new tab."""
    if not text:
        return Markup("")
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = _trimmed(match.group(0))
        if not _has_host(url):
            continue
        start = match.start()
        pieces.append(str(escape(text[position:start])))
        href = escape(url)
        pieces.append(f'<a href="{href}" class="url" rel="{REL}" target="_blank">{href}</a>')
        position = start + len(url)
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))
