"""SQLite: an FTS5 table over the terms of portal/search/text.py, one row per indexed unit.

The terms are written as space-separated words and FTS5's `ascii` tokenizer only splits them
again, so SQLite needs no tokenizer of its own (Python cannot register one). Phrases match
adjacent terms (positions kept: detail=full), prefixes use FTS5's `term*`; relevance is bm25's
share of each unit, from FTS5's own occurrences (scores). A row is one unit (portal.search.key:
the rowid orders groups, newest last), so a reply inserts one small row; the group is
`rowid >> 32`, and a query of several words walks each word's groups newest first to the groups
all of them reach (a word may be in the subject, the next in a reply). The original texts are
stored beside the terms (UNINDEXED) for snippets. Created by migration 0009, rebuilt per unit by
0012 (CREATE below).
"""
from __future__ import annotations

from sqlalchemy import Integer, text
from sqlalchemy.sql import Subquery

from portal.db import db
from portal.search import GROUP_SHIFT, group_of
from portal.search import text as terms_of

TABLE = "search_index"  # the requests' index (portal.search.REQUESTS); the articles' has its own


def create_statement(table: str) -> str:
    return (f"CREATE VIRTUAL TABLE {table} USING fts5(scope, public, internal, public_text UNINDEXED, "
            "internal_text UNINDEXED, tokenize='ascii', detail=full)")


CREATE = create_statement(TABLE)
DROP = f"DROP TABLE IF EXISTS {TABLE}"


def create(connection, table: str) -> None:
    connection.execute(text(create_statement(table)))


def _scopes(scope) -> tuple[int, ...]:
    """One organisation, or several (an article shown to several; 0 is everyone)."""
    return tuple(int(s) for s in scope) if isinstance(scope, tuple | list) else (int(scope),)


def put(documents, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE rowid = :id"),
                       [{"id": doc.id} for doc in documents])
    connection.execute(text(
        f"INSERT INTO {table} (rowid, scope, public, internal, public_text, internal_text) "
        "VALUES (:id, :scope, :public, :internal, :public_text, :internal_text)"),
        [{"id": doc.id, "scope": " ".join(f"o{s}" for s in _scopes(doc.scope)),
          "public": " ".join(terms_of.terms(doc.public)),
          "internal": " ".join(terms_of.terms(doc.internal)), "public_text": doc.public,
          "internal_text": doc.internal} for doc in documents])


def delete(keys, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), [{"id": k} for k in keys])


def delete_ranges(ranges, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE rowid BETWEEN :low AND :high"),
                       [{"low": low, "high": high} for low, high in ranges])


def _phrase(word) -> str:
    return '"' + " ".join(word.terms) + '"' + ("*" if word.prefix else "")


def _expression(words, joiner: str, internal: bool, scope) -> str:
    expression = joiner.join(_phrase(word) for word in words)
    expression = f"{{public internal}} : ({expression})" if internal else f"{{public}} : ({expression})"
    if scope is None:
        return expression
    return f"{{scope}} : ({' OR '.join(f'o{s}' for s in _scopes(scope))}) AND {expression}"


def match_expression(query, internal: bool, scope=None) -> str:
    """One unit matching any word (similar requests, relevance) or every word."""
    return _expression(query.words, " OR " if query.any else " AND ", internal, scope)


def _groups(query, internal: bool, scope, table: str) -> tuple[str, dict]:
    """SQL of the distinct groups matching the query, and its parameters: one MATCH when one
    unit suffices (one word, or any word), else the groups of each word intersected."""
    if query.any or len(query.words) == 1:
        return (f"SELECT DISTINCT rowid >> {GROUP_SHIFT} AS id FROM {table} WHERE {table} MATCH :e0",
                {"e0": match_expression(query, internal, scope)})
    params = {f"e{i}": _expression([word], "", internal, scope) for i, word in enumerate(query.words)}
    return " INTERSECT ".join(
        f"SELECT rowid >> {GROUP_SHIFT} AS id FROM {table} WHERE {table} MATCH :{name}"
        for name in params), params


def matches(query, *, internal: bool, scope=None, table: str = TABLE) -> Subquery:
    sql, params = _groups(query, internal, scope, table)
    return text(f"SELECT id FROM ({sql}) LIMIT -1").bindparams(**params).columns(
        id=Integer).subquery("search_matches")


def recent(query, *, internal: bool, scope=None, units: int, table: str = TABLE) -> Subquery:
    """FTS5 walks its doclists backwards (ORDER BY rowid DESC) and stops after `units` rows."""
    return text(
        f"SELECT DISTINCT id FROM (SELECT rowid >> {GROUP_SHIFT} AS id FROM {table} "
        f"WHERE {table} MATCH :recent_expression ORDER BY rowid DESC LIMIT :recent_units)").bindparams(
        recent_expression=match_expression(query, internal, scope), recent_units=units).columns(
        id=Integer).subquery("search_recent")


class _Groups:
    """The groups of the units matching one FTS5 expression, newest first, each once: FTS5 walks
    the doclists backwards (ORDER BY rowid DESC). `at_most(group)` moves to the newest group not
    above it; a long way down it asks FTS5 again from there (a seek) instead of reading each row."""

    SKIP = 64  # rows read before seeking instead

    def __init__(self, table: str, expression: str):
        self.table, self.expression, self.current = table, expression, None
        self._open(None)

    def _open(self, top: int | None) -> None:
        # the driver's own cursor: a walk reads thousands of one-number rows, and a row through
        # SQLAlchemy's Result costs several times the row itself
        bound = "" if top is None else f" AND rowid <= {((int(top) + 1) << GROUP_SHIFT) - 1}"
        self.rows = db.session.connection().connection.driver_connection.execute(
            f"SELECT rowid >> {GROUP_SHIFT} FROM {self.table} WHERE {self.table} MATCH ?{bound} "
            "ORDER BY rowid DESC", (self.expression,))

    def at_most(self, group: int | None) -> int | None:
        """The newest matching group not above `group` (None: any), or None when there is none."""
        read = 0
        while self.current is None or (group is not None and self.current > group):
            if read == self.SKIP:
                self.rows.close()
                self._open(group)
                read = 0
            row = self.rows.fetchone()
            if row is None:
                self.close()
                return None
            self.current, read = row[0], read + 1
        return self.current

    def close(self) -> None:
        self.rows.close()


def newest(query, *, internal: bool, scope, limit: int, table: str = TABLE) -> tuple[int, list[int]]:
    """How many groups match (at most COUNT_CAP + 1), and the newest `limit` of them: each word's
    units walked newest first (several words: leapfrogging to the newest group all of them
    reach), stopping there — never the whole list of a common word, nor a whole intersection."""
    from portal.search import COUNT_CAP

    cap = max(limit, COUNT_CAP + 1)
    if query.any or len(query.words) == 1:
        expressions = [match_expression(query, internal, scope)]
    else:
        expressions = [_expression([word], "", internal, scope) for word in query.words]
    walks = [_Groups(table, expression) for expression in expressions]
    found: list[int] = []
    target = None
    try:
        while len(found) < cap:
            groups = []
            for walk in walks:
                group = walk.at_most(target)
                if group is None:
                    return len(found), found[:limit]
                groups.append(group)
                target = group if target is None else min(target, group)
            if all(group == target for group in groups):
                found.append(target)
                target -= 1
    finally:
        for walk in walks:
            walk.close()
    return len(found), found[:limit]


def ranked(query, *, internal: bool, scope, limit: int,
           table: str = TABLE) -> tuple[int, list[int], dict[int, float]]:
    """newest(), and the relevance of those groups (scores)."""
    total, ids = newest(query, internal=internal, scope=scope, limit=limit, table=table)
    return total, ids, scores(query, ids, internal=internal, table=table, scope=scope) if ids else {}


K1, B = 1.2, 0.75  # bm25's own constants
AVERAGE_TERMS = 100  # a unit's length taken as average (bm25 reads the table's own)
WEIGHTS = (10.0, 5.0)  # public text, staff-only text


def _occurrences(terms: str, needles: list[str]) -> int:
    """How often the words occur in a unit's terms (space-separated): each term padded with its
    own spaces, a word is its terms in order (an exact one ends with a space, a prefix not)."""
    padded = " " + terms.replace(" ", "  ") + " "
    return sum(padded.count(needle) for needle in needles)


def _share(weight: float, occurrences: int, terms: str) -> float:
    """bm25's share of one column of one unit, without the words' rarity."""
    if not occurrences:
        return 0.0
    length = terms.count(" ") + 1
    return weight * occurrences * (K1 + 1) / (occurrences + K1 * (1 - B + B * length / AVERAGE_TERMS))


SPREAD = 4  # groups spanning more than this many times their number are looked up one by one


def scores(query, ids, *, internal: bool, table: str = TABLE, scope=None) -> dict[int, float]:
    """Relevance summed over each group's units: bm25's share of each unit (how often the words
    occur in it, against its length; the public text counting twice the staff-only), without
    bm25's weight of each word by how rare it is in the whole index — which FTS5 works out by
    reading each word's whole list (for a word in every request, most of a search's time).
    The groups' range is read by one MATCH of any word: for one word, every match in it is one
    of the groups (they are its newest). Several words seldom together spread their groups far
    apart among matches of one word only: those groups' own units are looked up by rowid (no
    MATCH: a plain lookup), the words counted in their stored terms as FTS5 matches them (a
    phrase of adjacent terms, the last maybe a prefix) — instead of every match in between."""
    if len(query.words) == 1 or query.any or max(ids) - min(ids) < SPREAD * len(ids):
        return _scores_in_range(query, ids, internal, table, scope)
    needles = [" " + "  ".join(word.terms) + ("" if word.prefix else " ") for word in query.words]
    staff = "internal" if internal else "''"
    found: dict[int, float] = {}
    for rowid, *columns in db.session.connection().connection.driver_connection.execute(
            " UNION ALL ".join(
                f"SELECT rowid, public, {staff} FROM {table} WHERE rowid BETWEEN "
                f"{int(i) << GROUP_SHIFT} AND {((int(i) + 1) << GROUP_SHIFT) - 1}" for i in ids)):
        score = sum(_share(weight, _occurrences(terms, needles) if terms else 0, terms)
                    for weight, terms in zip(WEIGHTS, columns, strict=True))
        if score:
            group = group_of(rowid)
            found[group] = found.get(group, 0.0) + score
    return found


def _scores_in_range(query, ids, internal: bool, table: str, scope) -> dict[int, float]:
    """scores() of groups close together (a common word's newest): one MATCH over their range,
    the occurrences FTS5's own (highlight(), the unit's position lists). A rowid range, never
    `rowid IN (…)`: FTS5 would evaluate the whole MATCH once per id; `scope` (a customer's
    organisation) narrows the range's matches to theirs."""
    wanted = set(ids)
    any_word = type(query)(query.words, any=True)
    # the occurrences of the wanted groups' units only: the range holds other matches too
    listed = ", ".join(str(int(i)) for i in sorted(wanted))
    columns = ", ".join(
        f"CASE WHEN rowid >> {GROUP_SHIFT} IN ({listed}) THEN highlight({table}, {column}, char(1), '') "
        "ELSE '' END" for column in ((1, 2) if internal else (1,)))
    rows = db.session.connection().connection.driver_connection.execute(
        f"SELECT rowid, {columns} FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?",
        (match_expression(any_word, internal, scope), min(ids) << GROUP_SHIFT,
         ((max(ids) + 1) << GROUP_SHIFT) - 1))
    found: dict[int, float] = {}
    for rowid, *marked in rows:
        group = group_of(rowid)
        if group not in wanted:
            continue
        # customers: the public text only
        found[group] = found.get(group, 0.0) + sum(
            _share(weight, terms.count("\x01"), terms)
            for weight, terms in zip(WEIGHTS, marked, strict=False))
    return found


def terms(keys, *, internal: bool, table: str = TABLE) -> dict[int, set[str]]:
    """The distinct terms of these units, by rowid (no MATCH, so `IN` is a plain lookup)."""
    staff = "internal" if internal else "''"
    found: dict[int, set[str]] = {}
    for rowid, public, hidden in db.session.execute(text(
            f"SELECT rowid, public, {staff} FROM {table} WHERE rowid IN "
            f"({', '.join(str(int(k)) for k in keys)})")):
        found[rowid] = {*public.split(), *hidden.split()}
    return found


def texts(ids, *, internal: bool, table: str = TABLE) -> dict[int, list[str]]:
    ranges = " UNION ALL ".join(
        f"SELECT rowid, public_text, internal_text FROM {table} WHERE rowid BETWEEN "
        f"{int(i) << GROUP_SHIFT} AND {((int(i) + 1) << GROUP_SHIFT) - 1}" for i in ids)
    public: dict[int, list[str]] = {}
    staff: dict[int, list[str]] = {}
    for rowid, public_text, internal_text in sorted(db.session.execute(text(ranges))):
        public.setdefault(group_of(rowid), []).append(public_text)
        staff.setdefault(group_of(rowid), []).append(internal_text)
    return {group: texts + staff[group] if internal else texts for group, texts in public.items()}


def clear(connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table}"))


def size_bytes(table: str = TABLE) -> int:
    connection = db.session.connection()
    try:
        return int(connection.execute(text(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :name OR name IN "
            "(:name || '_data', :name || '_idx', :name || '_content', :name || '_docsize', "
            ":name || '_config')"), {"name": table}).scalar_one())
    except Exception:  # SQLite built without the dbstat table: the stored lengths instead
        return int(connection.execute(text(
            f"SELECT coalesce(sum(length(block)), 0) FROM {table}_data")).scalar_one()) + int(
            connection.execute(text(
                "SELECT coalesce(sum(length(c1) + length(c2) + length(c3) + length(c4)), 0) "
                f"FROM {table}_content")).scalar_one())
