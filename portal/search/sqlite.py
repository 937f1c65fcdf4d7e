"""SQLite: an FTS5 table over the terms of portal/search/text.py.

The terms are written as space-separated words and FTS5's `ascii` tokenizer only splits them
again, so SQLite needs no tokenizer of its own (Python cannot register one). Phrases match
adjacent terms (positions kept: detail=full), prefixes use FTS5's `term*`; relevance is FTS5's
bm25, computed from the index without reading the texts. The original texts are stored beside
the terms (UNINDEXED) for snippets. Created by migration 0008 (CREATE below).
"""
from __future__ import annotations

from sqlalchemy import Integer, text
from sqlalchemy.sql import Subquery

from portal.db import db
from portal.search import text as terms_of

TABLE = "search_index"


def create_statement(table: str) -> str:
    return (f"CREATE VIRTUAL TABLE {table} USING fts5(scope, public, internal, public_text UNINDEXED, "
            "internal_text UNINDEXED, tokenize='ascii', detail=full)")


CREATE = create_statement(TABLE)
DROP = f"DROP TABLE IF EXISTS {TABLE}"


def create(connection, table: str) -> None:
    connection.execute(text(create_statement(table)))


def _scopes(scope) -> tuple[int, ...]:
    return tuple(int(s) for s in scope) if isinstance(scope, tuple | list) else (int(scope),)


def remove(ids, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), [{"id": i} for i in ids])


def put(documents, connection, table: str = TABLE) -> None:
    remove([doc.id for doc in documents], connection, table)
    connection.execute(text(
        f"INSERT INTO {table} (rowid, scope, public, internal, public_text, internal_text) "
        "VALUES (:id, :scope, :public, :internal, :public_text, :internal_text)"),
        [{"id": doc.id, "scope": " ".join(f"o{s}" for s in _scopes(doc.scope)),
          "public": " ".join(terms_of.terms(doc.public)),
          "internal": " ".join(terms_of.terms(doc.internal)), "public_text": doc.public,
          "internal_text": doc.internal} for doc in documents])


def _phrase(word) -> str:
    return '"' + " ".join(word.terms) + '"' + ("*" if word.prefix else "")


def match_expression(query, internal: bool, scope=None) -> str:
    expression = (" OR " if query.any else " AND ").join(_phrase(word) for word in query.words)
    expression = f"{{public internal}} : ({expression})" if internal else f"{{public}} : ({expression})"
    if scope is None:
        return expression
    return f"{{scope}} : ({' OR '.join(f'o{s}' for s in _scopes(scope))}) AND {expression}"


def matches(query, *, internal: bool, scope=None, table: str = TABLE) -> Subquery:
    # LIMIT keeps SQLite from flattening the subquery into a join, which would run the MATCH
    # once per joined row
    return text(
        f"SELECT rowid AS id FROM {table} WHERE {table} MATCH :search_expression LIMIT -1"
    ).bindparams(search_expression=match_expression(query, internal, scope)).columns(
        id=Integer).subquery("search_matches")


def newest(query, *, internal: bool, scope, limit: int, table: str = TABLE) -> tuple[int, list[int]]:
    """How many documents match, and the ids of the newest `limit` of them: FTS5 counts and
    walks its doclists backwards by itself, without a sort."""
    expression = {"search_expression": match_expression(query, internal, scope)}
    total = db.session.execute(text(
        f"SELECT count(*) FROM {table} WHERE {table} MATCH :search_expression"), expression).scalar()
    ids = db.session.scalars(text(
        f"SELECT rowid FROM {table} WHERE {table} MATCH :search_expression "
        "ORDER BY rowid DESC LIMIT :limit"), {**expression, "limit": limit}).all()
    return total or 0, list(ids)


def scores(query, ids, *, internal: bool, table: str = TABLE) -> dict[int, float]:
    # a rowid range, never `rowid IN (…)`: FTS5 would evaluate the whole MATCH once per id
    wanted = set(ids)
    rows = db.session.execute(text(
        f"SELECT rowid, bm25({table}, 0.0, 10.0, 5.0) FROM {table} "
        f"WHERE {table} MATCH :search_expression AND rowid BETWEEN :low AND :high"),
        {"search_expression": match_expression(query, internal), "low": min(ids), "high": max(ids)})
    return {row[0]: -row[1] for row in rows if row[0] in wanted}


def texts(ids, *, internal: bool, table: str = TABLE) -> dict[int, list[str]]:
    rows = db.session.execute(text(
        f"SELECT rowid, public_text, internal_text FROM {table} WHERE rowid IN "
        f"({', '.join(str(int(i)) for i in ids)})"))
    return {row[0]: [row[1], row[2]] if internal else [row[1]] for row in rows}


def clear(connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table}"))


def size_bytes(table: str = TABLE) -> int:
    connection = db.session.connection()
    try:
        return int(connection.execute(text(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE :name"),
            {"name": f"{table}%"}).scalar_one())
    except Exception:  # SQLite built without the dbstat table: the stored lengths instead
        return int(connection.execute(text(
            f"SELECT coalesce(sum(length(block)), 0) FROM {table}_data")).scalar_one()) + int(
            connection.execute(text(
                "SELECT coalesce(sum(length(c1) + length(c2) + length(c3) + length(c4)), 0) "
                f"FROM {table}_content")).scalar_one())
