"""PostgreSQL: a GIN index over a tsvector of the terms of portal/search/text.py.

The tsvector is built here, term by term with its positions, and never by a text search
configuration (whose parser knows no Japanese). Staff-only terms are stored with a `~` before
them, so one vector and one GIN index serve both kinds of search: a customer's query asks for
`term`, a staff member's for `term | ~term`; the organisation is the term `@o<id>`. Every term
of every word must occur — the bigrams of a longer word need not be adjacent here, unlike
SQLite's phrases: the GIN index then answers exactly without reading a row, and in practice
the results rarely differ. Prefixes are `:*`; relevance is ts_rank, for the newest matches only
(portal.search.RANKED). The original texts are stored beside the vector for snippets. Created
by migration 0008 (CREATE below).
"""
from __future__ import annotations

from sqlalchemy import Integer, text
from sqlalchemy.sql import Subquery

from portal.db import db
from portal.search import text as terms_of

TABLE = "search_index"
CREATE = [
    f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, terms tsvector NOT NULL, "
    "public_text text NOT NULL, internal_text text NOT NULL)",
    f"CREATE INDEX ix_{TABLE}_terms ON {TABLE} USING gin (terms)",
]
DROP = f"DROP TABLE IF EXISTS {TABLE}"
MAX_POSITION = 16383  # PostgreSQL's highest position; later terms share it
MAX_POSITIONS_PER_TERM = 255


def vector(scope: int, public: str, internal: str) -> str:
    """The tsvector literal of a document: '@o12' 'term':1,5 '~note':9 …"""
    positions: dict[str, list[int]] = {}
    position = 0
    for marker, source in (("", public), ("~", internal)):
        for term in terms_of.terms(source):
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(marker + term, [])
            if len(found) < MAX_POSITIONS_PER_TERM and (not found or found[-1] != position):
                found.append(position)
        position = min(position + 10, MAX_POSITION)  # no phrase across the two
    return f"'@o{int(scope)}' " + " ".join(
        f"'{term}':{','.join(map(str, spots))}" for term, spots in positions.items())


def put(documents, connection) -> None:
    connection.execute(text(
        f"INSERT INTO {TABLE} (id, terms, public_text, internal_text) "
        "VALUES (:id, CAST(:terms AS tsvector), :public_text, :internal_text) "
        "ON CONFLICT (id) DO UPDATE SET terms = excluded.terms, "
        "public_text = excluded.public_text, internal_text = excluded.internal_text"),
        [{"id": doc.id, "terms": vector(doc.scope, doc.public, doc.internal), "public_text": doc.public,
          "internal_text": doc.internal} for doc in documents])


def _term(term: str, prefix: bool, internal: bool) -> str:
    star = ":*" if prefix else ""
    return f"('{term}'{star} | '~{term}'{star})" if internal else f"'{term}'{star}"


def tsquery(query, internal: bool, scope: int | None = None) -> str:
    """Every term of every word (&): the GIN index answers it exactly, without reading a row.
    A phrase operator (<->) would make PostgreSQL re-read the vector of every candidate."""
    terms = [_term(term, word.prefix and i == len(word.terms) - 1, internal)
             for word in query.words for i, term in enumerate(word.terms)]
    joined = " | ".join(terms) if query.any else " & ".join(terms)
    return f"'@o{int(scope)}' & ({joined})" if scope is not None else joined


def matches(query, *, internal: bool, scope: int | None = None) -> Subquery:
    return text(
        f"SELECT id FROM {TABLE} WHERE terms @@ CAST(:search_query AS tsquery)"
    ).bindparams(search_query=tsquery(query, internal, scope)).columns(
        id=Integer).subquery("search_matches")


COUNT_CAP = 1000  # matches counted at most; more is "more than 1,000" (portal.search.newest)


def newest(query, *, internal: bool, scope: int | None, limit: int) -> tuple[int, list[int]]:
    """How many documents match (at most COUNT_CAP + 1), and the ids of the newest `limit`.

    Counting every match of a word in nearly every request would make PostgreSQL read (and
    de-TOAST) every vector — half a second at 100,000 requests — so the count stops past the
    cap; the newest matches come from a backward walk of the primary key or from the GIN
    bitmap, whichever the planner finds cheaper."""
    params = {"search_query": tsquery(query, internal, scope)}
    total = db.session.execute(text(
        f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE terms @@ CAST(:search_query AS tsquery) "
        f"LIMIT {COUNT_CAP + 1}) AS capped"), params).scalar()
    ids = db.session.scalars(text(
        f"SELECT id FROM {TABLE} WHERE terms @@ CAST(:search_query AS tsquery) "
        "ORDER BY id DESC LIMIT :limit"), {**params, "limit": limit}).all()
    return total or 0, list(ids)


def scores(query, ids, *, internal: bool) -> dict[int, float]:
    rows = db.session.execute(text(
        f"SELECT id, ts_rank(terms, CAST(:search_query AS tsquery)) FROM {TABLE} "
        "WHERE id = ANY(:ids)"), {"search_query": tsquery(query, internal), "ids": [int(i) for i in ids]})
    return {row[0]: row[1] for row in rows}


def texts(ids, *, internal: bool) -> dict[int, list[str]]:
    rows = db.session.execute(text(
        f"SELECT id, public_text, internal_text FROM {TABLE} WHERE id = ANY(:ids)"),
        {"ids": [int(i) for i in ids]})
    return {row[0]: [row[1], row[2]] if internal else [row[1]] for row in rows}


def clear(connection) -> None:
    connection.execute(text(f"TRUNCATE {TABLE}"))


def size_bytes() -> int:
    return int(db.session.execute(text(f"SELECT pg_total_relation_size('{TABLE}')")).scalar_one())
