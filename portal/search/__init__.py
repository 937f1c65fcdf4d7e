"""Full-text search of past cases: one interface, one backend module per database.

Callers (portal/tickets/search.py, portal/knowledge/index.py) hand over documents — one per
indexed unit of a group (a request's subject and description, each message, each attachment;
an article), keyed by `key(group, kind, part)`, with the text everyone who may see it may
search (`public`) and the text only staff may search (`internal`) — and ask for the groups
matching a query, as a subquery of `id` (the group) to join with their own filters.
There is one index (table) per kind of group: REQUESTS, whose
groups are requests, and ARTICLES, whose groups are knowledge-base articles (one unit each);
every function takes `index=`. Every word must occur in the group, not necessarily in one unit;
a write adds or replaces one small unit instead of the whole group. Which database
answers is decided here, once per dialect: `sqlite.py` (FTS5) or `postgresql.py` (GIN over a
bigram tsvector). A search engine (OpenSearch with kuromoji/ngram) would be one more module with
the same functions, whose `matches` returns the engine's ranked ids as VALUES
(docs/decisions/search.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from sqlalchemy.sql import Subquery

from portal.db import db
from portal.search.text import (  # noqa: F401  (the interface's text side)
    Query,
    parse,
    similar_query,
    snippet,
)

RANKED = 200  # the newest matches whose relevance is computed (docs/decisions/search.md)
# groups counted at most, on every backend; more is "more than 200" (newest, counted_past): the
# newest matches of a common word are then found by a walk that stops, on both databases
COUNT_CAP = 200
REQUESTS = "search_index"  # the index of requests (portal/tickets/search.py)
ARTICLES = "search_index_articles"  # the index of knowledge-base articles (portal/knowledge)
INDEXES = (REQUESTS, ARTICLES)
Scope = int | tuple[int, ...]  # one organisation, or several (an article shown to several)


GROUP_SHIFT = 32  # a unit's key: group << 32 | kind << 30 | part (part < 2**30)
KIND_SHIFT = 30


def key(group: int, kind: int, part: int = 0) -> int:
    """The key of one unit of a group: ordered by group first, so the index's own order walks
    the newest groups first and one group's units are one key range."""
    return (int(group) << GROUP_SHIFT) | (int(kind) << KIND_SHIFT) | int(part)


def group_of(unit_key: int) -> int:
    return int(unit_key) >> GROUP_SHIFT


def key_range(group: int) -> tuple[int, int]:
    """The lowest and highest key a unit of this group can have."""
    low = int(group) << GROUP_SHIFT
    return low, low + (1 << GROUP_SHIFT) - 1


@dataclass(frozen=True)
class Document:
    id: int  # the unit's key (key())
    # the organisation (or, for an article shown to several, each of them; 0 for everyone):
    # customers' searches are narrowed to it inside the index
    scope: Scope
    public: str
    internal: str


def _backend(connection=None) -> ModuleType:
    dialect = (connection or db.session.get_bind()).dialect.name
    if dialect == "postgresql":
        from portal.search import postgresql as backend
    else:
        from portal.search import sqlite as backend
    return backend


def put(documents: list[Document], connection=None, *, index: str = REQUESTS) -> None:
    """Write (or replace) units of one index, in the caller's transaction."""
    if documents:
        connection = connection or db.session.connection()
        _backend(connection).put(documents, connection, index)


def delete(keys: list[int], connection=None, *, index: str = REQUESTS) -> None:
    """Remove units (a deleted message or attachment), in the caller's transaction."""
    if keys:
        connection = connection or db.session.connection()
        _backend(connection).delete(sorted(set(keys)), connection, index)


def delete_groups(groups: list[int], connection=None, *, index: str = REQUESTS) -> None:
    """Remove every unit of these groups (before they are written again whole)."""
    if groups:
        connection = connection or db.session.connection()
        _backend(connection).delete_ranges([key_range(g) for g in sorted(set(groups))], connection,
                                           index)


def matches(query: Query, *, internal: bool, scope: Scope | None = None,
            index: str = REQUESTS) -> Subquery:
    """The groups matching every word of the query (each word in any of their units), as a
    subquery with the column `id` (the group).
    `internal=False` searches the public text only; `scope` narrows to one organisation inside
    the index (cheaper than joining: a customer's search never reads another's matches); a tuple
    of scopes matches units of any of them."""
    return _backend().matches(query, internal=internal, scope=scope, table=index)


def recent(query: Query, *, internal: bool, scope: Scope | None = None, units: int,
           index: str = REQUESTS) -> Subquery:
    """The groups of the newest `units` units matching any word of the query (subquery of
    `id`): the index is walked from its newest unit and stops there, so a query whose words
    are everywhere (similar requests: up to 24 words, any of them) costs the same at any size."""
    return _backend().recent(query, internal=internal, scope=scope, units=units, table=index)


def newest(query: Query, *, internal: bool, scope: Scope | None = None,
           limit: int = RANKED, index: str = REQUESTS) -> tuple[int, list[int]]:
    """How many groups match, and the newest `limit` of them (highest id first:
    requests are numbered as they are filed). The count stops past COUNT_CAP (the answer is then
    COUNT_CAP + 1, or `limit` when that is more): `counted_past(total)` tells."""
    return _backend().newest(query, internal=internal, scope=scope, limit=limit, table=index)


def ranked(query: Query, *, internal: bool, scope: Scope | None = None, limit: int = RANKED,
           index: str = REQUESTS) -> tuple[int, list[int], dict[int, float]]:
    """newest() and the relevance of those groups (as scores()), in one go where the backend
    can: PostgreSQL computes ts_rank of each unit as it finds the matches, instead of reading
    the units again."""
    return _backend().ranked(query, internal=internal, scope=scope, limit=limit, table=index)


def by_score(ids: list[int], scores: dict[int, float]) -> list[int]:
    """The ids by relevance, highest first; equal scores keep the order given (newest first)."""
    return sorted(ids, key=lambda ident: -scores.get(ident, 0.0))


def counted_past(total: int) -> bool:
    """Whether a total from `newest` is a lower bound (the backend stopped counting)."""
    return total > COUNT_CAP


def scores(query: Query, ids: list[int], *, internal: bool,
           index: str = REQUESTS) -> dict[int, float]:
    """The relevance of these groups (higher is more relevant: the sum over their units that
    match any word), one query."""
    return _backend().scores(query, ids, internal=internal, table=index) if ids else {}


def overlap(query: Query, keys: list[int], *, internal: bool,
            index: str = REQUESTS) -> dict[int, float]:
    """How alike these units are to a query of many words (similar requests): the query's
    terms each holds, over the square root of how many distinct terms it has (a long text
    shares more by chance). Read from the units' stored terms, one query by key: bm25 (scores)
    would first walk every word's whole list for its document count, which for the 24 words
    of a similar-requests query was most of the work view's time at 100,000 requests."""
    if not keys:
        return {}
    wanted = {term for word in query.words for term in word.terms}
    return {key: len(wanted & terms) / len(terms) ** 0.5
            for key, terms in _backend().terms(keys, internal=internal, table=index).items() if terms}


def texts(ids: list[int], *, internal: bool, index: str = REQUESTS) -> dict[int, list[str]]:
    """The stored texts of these groups' units, the group's own unit first, public before
    internal, for snippets (the first unit in which a word occurs gives the passage)."""
    return _backend().texts(ids, internal=internal, table=index) if ids else {}


def clear(connection=None, *, index: str = REQUESTS) -> None:
    """Remove every unit of an index (before a full rebuild)."""
    connection = connection or db.session.connection()
    _backend(connection).clear(connection, index)


def create(connection, index: str) -> None:
    """Create an index's structures on this database (migrations)."""
    _backend(connection).create(connection, index)


def drop(connection, index: str) -> None:
    """Drop an index's structures (migrations' downgrade)."""
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {index}")


def owned_by_search(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: False for the backends' own structures (FTS5 and its shadow
    tables, the tsvector table), which migration 0008 creates and the models do not describe."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_index")


def size_bytes(index: str = REQUESTS) -> int:
    """What an index takes on disk, texts included."""
    return _backend().size_bytes(index)
