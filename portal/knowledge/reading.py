"""Which language of an article a reader gets (pure: no Flask, no database)."""
from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class Localized:
    """An article's title and body in one language, and why that one."""

    title: str
    body: str
    language: str
    only_other: bool  # the reader's language is missing: the page says so
    reason: str


def localized(texts: dict[str, tuple[str, str]], wanted: str) -> Localized:
    """The reader's language where the article has it (a title is enough), else the other one.
    `texts` maps "ja"/"en" to (title, body)."""
    wanted = wanted if wanted in LANGUAGES else "ja"
    other = "en" if wanted == "ja" else "ja"
    title, body = texts.get(wanted, ("", ""))
    if title.strip():
        return Localized(title, body, wanted, False, f"written in {wanted}")
    title, body = texts.get(other, ("", ""))
    return Localized(title, body, other, True, f"not written in {wanted}; {other} instead")
