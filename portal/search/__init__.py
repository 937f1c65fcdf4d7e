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


@dataclass(frozen=True)
class Document:
    id: int
    scope: int  # the organisation: customers' searches are narrowed to it inside the index
    public: str
    internal: str


def _backend(connection=None) -> ModuleType:
    dialect = (connection or db.session.get_bind()).dialect.name
    if dialect == "postgresql":
        from portal.search import postgresql as backend
    else:
        from portal.search import sqlite as backend
    return backend


def put(documents: list[Document], connection=None) -> None:
    """Write (or replace) documents, in the caller's transaction."""
    if documents:
        connection = connection or db.session.connection()
        _backend(connection).put(documents, connection)


def matches(query: Query, *, internal: bool, scope: int | None = None) -> Subquery:
    """The documents matching every word of the query, as a subquery with the column `id`.
    `internal=False` searches the public text only; `scope` narrows to one organisation inside
    the index (cheaper than joining: a customer's search never reads another's matches)."""
    return _backend().matches(query, internal=internal, scope=scope)


def newest(query: Query, *, internal: bool, scope: int | None = None,
           limit: int = RANKED) -> tuple[int, list[int]]:
    """How many documents match, and the ids of the newest `limit` of them (highest id first:
    requests are numbered as they are filed). A backend may stop counting past a cap (PostgreSQL:
    1,000) and answer cap + 1: `counted_past(total)` tells."""
    return _backend().newest(query, internal=internal, scope=scope, limit=limit)


def counted_past(total: int) -> bool:
    """Whether a total from `newest` is a lower bound (the backend stopped counting)."""
    from portal.search import postgresql

    return total > postgresql.COUNT_CAP and db.session.get_bind().dialect.name == "postgresql"


def scores(query: Query, ids: list[int], *, internal: bool) -> dict[int, float]:
    """The relevance of these documents (higher is more relevant), one query."""
    return _backend().scores(query, ids, internal=internal) if ids else {}


def texts(ids: list[int], *, internal: bool) -> dict[int, list[str]]:
    """The stored texts of documents, public first, for snippets."""
    return _backend().texts(ids, internal=internal) if ids else {}


def clear(connection=None) -> None:
    """Remove every document (before a full rebuild)."""
    connection = connection or db.session.connection()
    _backend(connection).clear(connection)


def owned_by_search(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: False for the backends' own structures (FTS5 and its shadow
    tables, the tsvector table), which migration 0008 creates and the models do not describe."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_index")


def size_bytes() -> int:
    """What the index takes on disk, texts included."""
    return _backend().size_bytes()
