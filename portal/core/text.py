"""Plain-text primitives shared by every layer."""
from __future__ import annotations


def one_line(text: str | None) -> str:
    """The text on one line: every run of whitespace (CR, LF, tab, U+2028, U+0085 …) becomes
    one space. Subjects and names pass through here, so none can start a new line in a mail's
    headers or body."""
    return " ".join((text or "").split())
