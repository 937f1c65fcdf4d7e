"""The one way text becomes search terms, on every backend (pure: no Flask, no SQLAlchemy).

Japanese is written without spaces, so words cannot be cut out without a dictionary. Instead
every run of Japanese (or other non-Latin) letters is indexed as overlapping character
bigrams — 障害対応 → 障害 害対 対応 — and its last character once more alone, so that every
character starts some term. A query is cut the same way: a two-character word is one term, a
longer one a phrase of adjacent bigrams, a single character the prefix of a term. Latin letters
and digits form whole words (CSV, 0x80070005, AADSTS50011, acme 34), matched as prefixes. Before
that, text is normalised with NFKC and case-folded: full-width ＣＳＶ, half-width ｶﾀｶﾅ, ACME and
acme are the same terms. docs/decisions/search.md says why.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

MAX_QUERY_TERMS = 8  # words of a query; more are ignored (each one is one index look-up)
SNIPPET_CHARS = 120


def normalize(text: str) -> str:
    """NFKC, then case folding: the form both the index and the queries are cut from."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def _is_latin(ch: str) -> bool:
    """Letters and digits that form words (ASCII, accented Latin); everything else is bigrammed."""
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


# runs of word characters, split where Latin meets non-Latin (CSVファイル → csv | ファイル)
_RUN = re.compile(r"[^\W_]+", re.UNICODE)


def _runs(normalized: str):
    for match in _RUN.finditer(normalized):
        run = match.group()
        start = 0
        for i in range(1, len(run) + 1):
            if i == len(run) or _is_latin(run[i]) != _is_latin(run[start]):
                yield run[start:i], _is_latin(run[start])
                start = i


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (their positions are what phrases match), then each
    distinct non-Latin character once: a one-character query is then one exact term."""
    out: list[str] = []
    chars: set[str] = set()
    for run, latin in _runs(normalize(text)):
        if latin:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            chars.update(run)
    out.extend(sorted(chars))
    return out


@dataclass(frozen=True)
class Word:
    """One word of a query: the terms that must follow each other, the last maybe a prefix."""

    text: str  # normalised, as typed (for highlighting)
    terms: tuple[str, ...]
    prefix: bool  # the last term is matched as the start of a term


@dataclass(frozen=True)
class Query:
    words: tuple[Word, ...]
    any: bool = False  # one word suffices (similar requests), instead of every word

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(text: str) -> Query:
    """A query: words separated by spaces, all of which must match. A word's pieces (ACME-34,
    CSVファイル) must follow each other; a single non-Latin character is its own exact term."""
    words: list[Word] = []
    seen: set[str] = set()

    def add(raw: str, term_list: list[str], prefix: bool) -> None:
        key = " ".join(term_list) + ("*" if prefix else "")
        if term_list and key not in seen and len(words) < MAX_QUERY_TERMS:
            seen.add(key)
            words.append(Word(raw, tuple(term_list), prefix))

    for raw in normalize(text).split():
        pieces = list(_runs(raw))
        term_list: list[str] = []
        prefix = False
        for run, latin in pieces:
            if latin:
                term_list.append(run)
                prefix = True
            elif len(run) == 1:  # the unigrams stand apart from the phrase positions
                add(raw, term_list, prefix)
                add(run, [run], False)
                term_list, prefix = [], False
            else:
                term_list.extend(run[i:i + 2] for i in range(len(run) - 1))
                prefix = False
        add(raw, term_list, prefix)
    return Query(tuple(words))


_KANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")  # hiragana: particles and endings, not subjects
MAX_SIMILAR_TERMS = 24


def similar_query(text: str) -> Query:
    """A query for requests like this text: any of its words and bigrams (hiragana-only ones,
    mostly particles, and single characters left out), ranked by how many they share."""
    words: list[Word] = []
    seen: set[str] = set()
    for term in terms(text):
        if len(term) < 2 or term in seen or _KANA_ONLY.match(term):
            continue
        seen.add(term)
        words.append(Word(term, (term,), False))
        if len(words) == MAX_SIMILAR_TERMS:
            break
    return Query(tuple(words), any=True)


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, where it came from in `text`."""
    whole = normalize(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    chars, origin = [], []
    for index, ch in enumerate(text):
        folded = normalize(ch)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def _word_pattern(word: Word) -> re.Pattern:
    """The word as it appears in normalised text: its pieces, maybe with punctuation between."""
    pieces = [run for run, _latin in _runs(word.text)]
    return re.compile(r"[\W_]{0,3}".join(re.escape(piece) for piece in pieces))


def snippet(texts: list[str], query: Query, width: int = SNIPPET_CHARS) -> Markup | None:
    """The first passage of `texts` where a word of the query occurs, every match of the
    query's words in it marked with <mark>; the text itself escaped. None when none occurs."""
    if not query:
        return None
    patterns = [_word_pattern(word) for word in query.words]
    for text in texts:
        if not text:
            continue
        folded, origin = _normalized_with_map(text)
        first = None
        for pattern in patterns:
            found = pattern.search(folded)
            if found and (first is None or found.start() < first.start()):
                first = found
        if first is None:
            continue
        start = max(0, origin[first.start()] - width // 3)
        end = min(len(text), start + width)
        # the marks inside the passage, in the original text's positions
        spans = []
        for pattern in patterns:
            for found in pattern.finditer(folded):
                a, b = origin[found.start()], origin[found.end() - 1] + 1
                if a >= start and b <= end:
                    spans.append((a, b))
        spans.sort()
        parts, cursor = [], start
        for a, b in spans:
            if a < cursor:
                continue
            parts.append(escape(text[cursor:a]))
            parts.append(Markup("<mark>") + escape(text[a:b]) + Markup("</mark>"))
            cursor = b
        parts.append(escape(text[cursor:end]))
        passage = Markup("").join(parts)
        passage = Markup(" ").join(Markup(passage).split())  # one line
        return (Markup("…") if start else Markup("")) + passage + (
            Markup("…") if end < len(text) else Markup(""))
    return None
