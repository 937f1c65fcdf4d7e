"""Quoted history in a message ("-----Original Message-----", "差出人:", "On … wrote:", "> …"):
split off so the thread shows what was newly written and folds the rest — never drops it."""
from __future__ import annotations

import re

_QUOTE_START = re.compile(
    r"^(-{2,}\s*(Original Message|元のメッセージ|Forwarded message|転送されたメッセージ)\s*-{2,}"
    r"|(差出人|From)\s*[:：].+"
    r"|On .{4,200} wrote:\s*$"
    r"|.{4,100}(さんは|さんが)?書きました\s*[:：]\s*$"
    r"|>.*)$", re.MULTILINE)


def split_quoted(text: str) -> tuple[str, str]:
    """(what the sender wrote, the quoted history below it). A message that is nothing but
    quotes keeps all of it as its text."""
    match = _QUOTE_START.search(text or "")
    if not match or not text[:match.start()].strip():
        return text, ""
    return text[:match.start()].rstrip(), text[match.start():]
