"""Full-text search of past cases: one interface, one backend module per database.

Callers (portal/tickets/search.py) hand over documents — an id with the text everyone who may
see it may search (`public`) and the text only staff may search (`internal`) — and ask for the
ids matching a query, as a subquery `(id, score)` to join with their own filters. Which database
answers is decided here, once per dialect: `sqlite.py` (FTS5) or `postgresql.py` (GIN over a
bigram tsvector). A search engine (OpenSearch with kuromoji/ngram) would be one more module with
the same five functions, whose `matches` returns the engine's ranked ids as VALUES
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

RANKED = 500  # the newest matches whose relevance is computed (docs/decisions/search.md)
REQUESTS = "search_index"  # the index of requests (portal/tickets/search.py)
ARTICLES = "search_index_articles"  # the index of knowledge-base articles (portal/knowledge)
INDEXES = (REQUESTS, ARTICLES)
Scope = int | tuple[int, ...]


@dataclass(frozen=True)
class Document:
    id: int
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
    """Write (or replace) documents of one index, in the caller's transaction."""
    if documents:
        connection = connection or db.session.connection()
        _backend(connection).put(documents, connection, index)


def remove(ids: list[int], connection=None, *, index: str = REQUESTS) -> None:
    """Take documents out of an index (an article deleted), in the caller's transaction."""
    if ids:
        connection = connection or db.session.connection()
        _backend(connection).remove(ids, connection, index)


def matches(query: Query, *, internal: bool, scope: Scope | None = None,
            index: str = REQUESTS) -> Subquery:
    """The documents matching every word of the query, as a subquery with the column `id`.
    `internal=False` searches the public text only; `scope` narrows to one organisation inside
    the index (cheaper than joining: a customer's search never reads another's matches); a tuple
    of scopes matches documents of any of them."""
    return _backend().matches(query, internal=internal, scope=scope, table=index)


def newest(query: Query, *, internal: bool, scope: Scope | None = None,
           limit: int = RANKED, index: str = REQUESTS) -> tuple[int, list[int]]:
    """How many documents match, and the ids of the newest `limit` of them (highest id first:
    requests are numbered as they are filed). A backend may stop counting past a cap (PostgreSQL:
    1,000) and answer cap + 1: `counted_past(total)` tells."""
    return _backend().newest(query, internal=internal, scope=scope, limit=limit, table=index)


def counted_past(total: int) -> bool:
    """Whether a total from `newest` is a lower bound (the backend stopped counting)."""
    from portal.search import postgresql

    return total > postgresql.COUNT_CAP and db.session.get_bind().dialect.name == "postgresql"


def scores(query: Query, ids: list[int], *, internal: bool,
           index: str = REQUESTS) -> dict[int, float]:
    """The relevance of these documents (higher is more relevant), one query."""
    return _backend().scores(query, ids, internal=internal, table=index) if ids else {}


def texts(ids: list[int], *, internal: bool, index: str = REQUESTS) -> dict[int, list[str]]:
    """The stored texts of documents, public first, for snippets."""
    return _backend().texts(ids, internal=internal, table=index) if ids else {}


def clear(connection=None, *, index: str = REQUESTS) -> None:
    """Remove every document of an index (before a full rebuild)."""
    connection = connection or db.session.connection()
    _backend(connection).clear(connection, index)


def create(connection, index: str) -> None:
    """Create an index's structures on this database (migrations)."""
    _backend(connection).create(connection, index)


def drop(connection, index: str) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {index}")


def owned_by_search(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: False for the backends' own structures (FTS5 and its shadow
    tables, the tsvector table), which migration 0008 creates and the models do not describe."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_index")


def size_bytes(index: str = REQUESTS) -> int:
    """What the index takes on disk, texts included."""
    return _backend().size_bytes(index)
