"""PostgreSQL: a GIN index over a tsvector of the terms of portal/search/text.py, one row per
indexed unit (portal.search.key: a reply inserts one small row; the group is `id >> 32`).

The tsvector is built here, term by term with its positions, and never by a text search
configuration (whose parser knows no Japanese). Staff-only terms are stored with a `~` before
them, so one vector and one GIN index serve both kinds of search: a customer's query asks for
`term`, a staff member's for `term | ~term`; the organisation is the term `@o<id>`. Every term
of a word must occur in one unit, and every word in the group (the units holding any word,
grouped) — the bigrams of a longer word need not be adjacent here, unlike
SQLite's phrases: the GIN index then answers exactly without reading a row, and in practice
the results rarely differ. Prefixes are `:*`; relevance is ts_rank, for the newest matches only
(portal.search.RANKED), summed as they are found (ranked). The original texts are stored
beside the vector for snippets. Created by migration 0009, rebuilt per unit by 0012 (CREATE
below).
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Integer, text
from sqlalchemy.sql import Subquery

from portal.db import db
from portal.search import GROUP_SHIFT
from portal.search import text as terms_of

TABLE = "search_index"  # the requests' index (portal.search.REQUESTS); the articles' has its own


def create_statements(table: str) -> list[str]:
    return [f"CREATE TABLE {table} (id bigint PRIMARY KEY, terms tsvector NOT NULL, "
            "public_text text NOT NULL, internal_text text NOT NULL)",
            f"CREATE INDEX ix_{table}_terms ON {table} USING gin (terms)",
            group_index_statement(table), *words_statements(table)]


# indexes whose groups' words are kept whole too (the articles' groups are one unit each)
GROUPED = (TABLE,)
# each group's row of terms also holds the term '#b<group >> BAND_SHIFT>': its band of 8,192
# consecutive groups, so that "the newest bands only" is one more term ANDed inside the GIN
# index (changing it needs `search reindex`; '#' is in no term cut from text)
BAND_SHIFT = 13
BAND = "#b"  # the band term's prefix


def band_term(group: int) -> str:
    return f"{BAND}{int(group) >> BAND_SHIFT}"


def words_table(table: str) -> str:
    return f"{table}_words"


def words_statements(table: str) -> list[str]:
    """Which terms each group holds, one row per group (migration 0022): every term of all its
    units, without positions (`strip`), in a GIN index of its own. Several words are then
    intersected in that index's posting lists — a group holding every word, whichever of its
    units holds which — instead of by reading every unit that holds any of them (チームズ 録画:
    two common words, together in 1 % of requests, 290 ms p95 at 100,000 requests). The vectors
    go to TOAST from 128 bytes, so the table's own pages stay narrow (id and a pointer) and a
    bitmap of matching groups reads few of them: the posting lists answer without a recheck.

    Kept as a superset: a write adds its units' terms (`||`); an edit or a deletion leaves the
    old ones until `search reindex` — each candidate is checked against its units (_verified)."""
    if table not in GROUPED:
        return []
    words = words_table(table)
    return [f"CREATE TABLE IF NOT EXISTS {words} (id bigint PRIMARY KEY, terms tsvector NOT NULL) "
            "WITH (toast_tuple_target = 128)",
            f"CREATE INDEX IF NOT EXISTS ix_{words}_terms ON {words} USING gin (terms)"]


def fill_words(connection, table: str = TABLE, batch: int = 20000) -> None:
    """Every group's terms from its units, `batch` groups per statement (migration 0022, for
    existing data: no text is read, only the units' vectors)."""
    top = connection.execute(text(f"SELECT max(id) >> {GROUP_SHIFT} FROM {table}")).scalar()
    for low in range(0, (top or -1) + 1, batch):
        connection.execute(text(
            f"INSERT INTO {words_table(table)} (id, terms) SELECT id >> {GROUP_SHIFT}, "
            "array_to_tsvector(array_agg(DISTINCT lexeme) || "
            f"('{BAND}' || ((id >> {GROUP_SHIFT}) >> {BAND_SHIFT}))) FROM "
            f"{table} CROSS JOIN LATERAL unnest(tsvector_to_array(terms)) AS lexeme "
            f"WHERE id >= :low AND id < :high GROUP BY id >> {GROUP_SHIFT}"),
            {"low": low << GROUP_SHIFT, "high": (low + batch) << GROUP_SHIFT})


def group_index_statement(table: str) -> str:
    """The groups in order (migration 0019): the newest groups matching a common word come from
    a backward walk that stops at the cap, instead of reading every matching unit and sorting
    (a word in one unit of eight: 625 -> 38 ms at 100,000 requests)."""
    return f"CREATE INDEX IF NOT EXISTS ix_{table}_group ON {table} ((id >> {GROUP_SHIFT}))"


CREATE = create_statements(TABLE)


def create(connection, table: str) -> None:
    for statement in create_statements(table):
        connection.execute(text(statement))


def _scopes(scope) -> tuple[int, ...]:
    """One organisation, or several (an article shown to several; 0 is everyone)."""
    return tuple(int(s) for s in scope) if isinstance(scope, tuple | list) else (int(scope),)


DROP = f"DROP TABLE IF EXISTS {TABLE}, {words_table(TABLE)}"
MAX_POSITION = 16383  # PostgreSQL's highest position; later terms share it
MAX_POSITIONS_PER_TERM = 255


def vector(scope, public: str, internal: str) -> str:
    """The tsvector literal of a document: '@o12' 'term':1,5 '~note':9 …"""
    return _vector(scope, terms_of.terms(public), terms_of.terms(internal))


def _vector(scope, public: list[str], internal: list[str]) -> str:
    positions: dict[str, list[int]] = {}
    position = 0
    for marker, source in (("", public), ("~", internal)):
        for term in source:
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(marker + term, [])
            if len(found) < MAX_POSITIONS_PER_TERM and (not found or found[-1] != position):
                found.append(position)
        position = min(position + 10, MAX_POSITION)  # no phrase across the two
    return " ".join(f"'@o{s}'" for s in _scopes(scope)) + " " + " ".join(
        f"'{term}':{','.join(map(str, spots))}" for term, spots in positions.items())


def put(documents, connection, table: str = TABLE) -> None:
    """The units written (or replaced) and, for an index of whole groups too, each group's row
    of terms given its new units' terms (`||`: a superset, see words_statements) — one statement
    whatever the number of units: a reply is one round trip, as before there were two tables."""
    units: dict[int, tuple] = {}
    held: dict[int, set[str]] = {}
    for doc in documents:
        public, internal = terms_of.terms(doc.public), terms_of.terms(doc.internal)
        units[doc.id] = (_vector(doc.scope, public, internal), doc.public, doc.internal)
        if table in GROUPED:
            found = held.setdefault(doc.id >> GROUP_SHIFT, {band_term(doc.id >> GROUP_SHIFT)})
            found.update(f"@o{s}" for s in _scopes(doc.scope))
            found.update(public)
            found.update(f"~{term}" for term in internal)
    write = (f"INSERT INTO {table} (id, terms, public_text, internal_text) "
             "SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:terms AS tsvector[]), "
             "CAST(:public_texts AS text[]), CAST(:internal_texts AS text[])) "
             "ON CONFLICT (id) DO UPDATE SET terms = excluded.terms, "
             "public_text = excluded.public_text, internal_text = excluded.internal_text")
    params = {"ids": list(units), "terms": [unit[0] for unit in units.values()],
              "public_texts": [unit[1] for unit in units.values()],
              "internal_texts": [unit[2] for unit in units.values()]}
    if held:
        words = words_table(table)
        write = (f"WITH units AS ({write}) INSERT INTO {words} (id, terms) SELECT * FROM "
                 "unnest(CAST(:groups AS bigint[]), CAST(:held AS tsvector[])) "
                 f"ON CONFLICT (id) DO UPDATE SET terms = {words}.terms || excluded.terms")
        params.update(groups=list(held), held=[" ".join(f"'{term}'" for term in sorted(found))
                                               for found in held.values()])
    connection.execute(text(write), params)


def delete(keys, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE id = ANY(:ids)"), {"ids": list(keys)})


def delete_ranges(ranges, connection, table: str = TABLE) -> None:
    connection.execute(text(f"DELETE FROM {table} WHERE id BETWEEN :low AND :high"),
                       [{"low": low, "high": high} for low, high in ranges])
    if table in GROUPED:  # whole groups: their terms go too (written again by put)
        connection.execute(text(f"DELETE FROM {words_table(table)} WHERE id = ANY(:groups)"),
                           {"groups": [low >> GROUP_SHIFT for low, _ in ranges]})


def _term(term: str, prefix: bool, internal: bool) -> str:
    star = ":*" if prefix else ""
    return f"('{term}'{star} | '~{term}'{star})" if internal else f"'{term}'{star}"


def _word(word, internal: bool) -> str:
    return " & ".join(_term(term, word.prefix and i == len(word.terms) - 1, internal)
                      for i, term in enumerate(word.terms))


def tsquery(query, internal: bool, scope=None) -> str:
    """One unit having every term of every word (&), or of any word: the GIN index answers it
    exactly, without reading a row. A phrase operator (<->) would make PostgreSQL re-read the
    vector of every candidate."""
    joined = " | ".join(f"({_word(word, internal)})" for word in query.words) if query.any else \
        " & ".join(_word(word, internal) for word in query.words)
    if scope is None:
        return joined
    return "(" + " | ".join(f"'@o{s}'" for s in _scopes(scope)) + f") & ({joined})"


def _groups(query, internal: bool, scope, table: str, ranked: bool = False) -> tuple[str, dict]:
    """SQL of the groups matching the query (column `id`, distinct, in no order), and its
    parameters: one unit must hold the word when there is one (or any word will do); for
    several words, the units holding any of them grouped, each word held by one unit at least.
    Grouped by `id >> 32`, which the group index (0019) walks newest first, so ORDER BY … LIMIT
    stops early (two common words intersected whole took 7 s; this way 0.27 s). `ranked`: with
    the column `score`, the relevance of each group (as `scores`), from the units as they are read."""
    any_word = type(query)(query.words, any=True)
    score = ", sum(ts_rank(terms, CAST(:r AS tsquery))) AS score" if ranked else ""
    ranking = {"r": tsquery(any_word, internal)} if ranked else {}
    if query.any or len(query.words) == 1:
        if not ranked:
            return (f"SELECT DISTINCT id >> {GROUP_SHIFT} AS id FROM {table} "
                    "WHERE terms @@ CAST(:q0 AS tsquery)", {"q0": tsquery(query, internal, scope)})
        return (f"SELECT id >> {GROUP_SHIFT} AS id{score} FROM {table} "
                f"WHERE terms @@ CAST(:q0 AS tsquery) GROUP BY id >> {GROUP_SHIFT}",
                {"q0": tsquery(query, internal, scope), **ranking})
    params = {"q0": tsquery(any_word, internal, scope), **ranking}
    params.update({f"q{i + 1}": tsquery(type(query)((word,)), internal)
                   for i, word in enumerate(query.words)})
    having = " AND ".join(f"bool_or(terms @@ CAST(:q{i + 1} AS tsquery))"
                          for i in range(len(query.words)))
    return (f"SELECT id >> {GROUP_SHIFT} AS id{score} FROM {table} WHERE terms @@ CAST(:q0 AS tsquery) "
            f"GROUP BY id >> {GROUP_SHIFT} HAVING {having}"), params


def _custom_plans() -> None:
    """Plan this transaction's statements for their own values. After five runs of one statement
    psycopg prepares it, and PostgreSQL may then keep one generic plan for every word — planned
    for a word of unknown frequency, it walked every unit for a rare one (0.7-1.2 s instead of
    15 ms: the outliers of earlier measurements). A search's plan depends on its words."""
    session = db.session()
    transaction = session.get_transaction()
    if transaction is None or session.info.get("search_custom_plans") is not transaction:
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        session.info["search_custom_plans"] = session.get_transaction()


def matches(query, *, internal: bool, scope=None, table: str = TABLE) -> Subquery:
    _custom_plans()
    sql, params = _groups(query, internal, scope, table)
    return text(sql).bindparams(**params).columns(
        id=Integer).subquery("search_matches")


def recent(query, *, internal: bool, scope=None, units: int, table: str = TABLE) -> Subquery:
    """The newest units first, through the primary key: a query of common words matches most
    units, so the walk backwards stops soon, where the GIN bitmap would read them all."""
    _custom_plans()
    return text(
        f"SELECT DISTINCT id FROM (SELECT id >> {GROUP_SHIFT} AS id FROM {table} "
        f"WHERE terms @@ CAST(:recent_query AS tsquery) ORDER BY {table}.id DESC LIMIT :recent_units) "
        "AS units").bindparams(recent_query=tsquery(query, internal, scope),
                               recent_units=units).columns(id=Integer).subquery("search_recent")


WINDOW = 500  # the newest groups walked unit by unit before the GIN index is asked
BITMAP_RANGE = 1000  # groups: an older range longer than this is read by bitmaps only


def _newest_sql(query, internal: bool, scope, table: str, where: str, walk: bool,
                ranked: bool) -> tuple[str, dict]:
    """The matching groups within `where` (a range of keys), newest first. `walk`: each unit of
    the range read in key order, the GIN index kept out (`IS TRUE` is no operator it can answer);
    else the order of the group index is kept out (`+ 0`), so that the planner never walks it
    in the hope of meeting `cap` matches soon — for a rare word, whose frequency it overestimates
    (a prefix, the bigrams of one word taken as independent), that walk read every unit (1.3 s)."""
    sql, params = _groups(query, internal, scope, table, ranked)
    if walk:
        sql = sql.replace("WHERE terms @@ CAST(:q0 AS tsquery)",
                          "WHERE (terms @@ CAST(:q0 AS tsquery)) IS TRUE")
    else:
        sql = sql.replace(f"id >> {GROUP_SHIFT}", f"(id >> {GROUP_SHIFT}) + 0")
    sql = sql.replace(f"FROM {table} WHERE", f"FROM {table} WHERE {where} AND", 1)
    return f"{sql} ORDER BY id DESC LIMIT :cap", params


def newest(query, *, internal: bool, scope, limit: int, table: str = TABLE) -> tuple[int, list[int]]:
    """How many groups match (at most COUNT_CAP + 1), and the newest `limit` of them."""
    rows = _newest(query, internal, scope, limit, table, ranked=False)
    return len(rows), [row[0] for row in rows[:limit]]


def ranked(query, *, internal: bool, scope, limit: int,
           table: str = TABLE) -> tuple[int, list[int], dict[int, float]]:
    """newest(), with the relevance of those groups computed as their units are read (ts_rank
    of each unit already in memory) instead of reading them all again (scores)."""
    rows = _newest(query, internal, scope, limit, table, ranked=True)
    return len(rows), [row[0] for row in rows[:limit]], {row[0]: row[1] for row in rows[:limit]}


def _newest(query, internal: bool, scope, limit: int, table: str, ranked: bool) -> list:
    """The newest matching groups, at most max(limit, COUNT_CAP + 1): rows of (id[, score]).

    A customer's search is narrowed to their organisation inside the GIN index: one statement.
    Staff's walks the newest WINDOW groups unit by unit first (a few thousand rows, the newest,
    which are in memory): a common word reaches the cap there. Otherwise what it found there
    tells how often the word occurs, and the range of older groups that should hold the rest
    is asked next, then what is older still: the GIN bitmap of a rare word is small, and a word
    of middling frequency is looked for in a range sized for it — instead of reading every
    unit of it in the table (each a table page) or walking far for it."""
    from portal.search import COUNT_CAP

    _custom_plans()
    cap = max(limit, COUNT_CAP + 1)
    if scope is not None:
        sql, params = _groups(query, internal, scope, table, ranked)
        return db.session.execute(text(f"{sql} ORDER BY id DESC LIMIT :cap"),
                                  {**params, "cap": cap}).all()
    by_words = table in GROUPED and not query.any and (
        len(query.words) > 1 or len(query.words[0].terms) > 2)
    if by_words and len(query.words) > 1:
        return _newest_by_words(query, internal, table, cap, ranked)
    top = db.session.scalar(text(f"SELECT max(id) >> {GROUP_SHIFT} FROM {table}"))
    if top is None:
        return []
    low = max(0, top - WINDOW + 1)
    # the window as a range of the group index, walked backwards: a common word stops at the cap
    sql, params = _newest_sql(query, internal, scope, table, f"id >> {GROUP_SHIFT} >= :low", True,
                              ranked)
    rows = db.session.execute(text(sql), {**params, "low": low, "cap": cap}).all()
    if by_words and len(rows) < cap and low > 0:
        # one word of many terms, not common enough to fill the window (バックアップジョブ:
        # walking on unit by unit read 1.6 s at 1,000,000 requests): the requests' terms
        return [tuple(row) for row in rows] + _newest_by_words(
            query, internal, table, cap - len(rows), ranked, top=low - 1)
    while len(rows) < cap and low > 0:
        rest = cap - len(rows)
        seen = top - low + 1  # groups looked at so far
        # where the rest should be, by how often the query matched so far (half again more);
        # nothing yet: everything older (a rare word: its GIN bitmap is small)
        start = max(0, low - (rest * seen * 3) // (2 * len(rows))) if rows else 0
        sql, params = _newest_sql(query, internal, scope, table, "id >= :start AND id < :low",
                                  False, ranked)
        # a long range by bitmaps only: the GIN index's matches ANDed with the range's units, so
        # only the pages holding both are read — the planner would rather walk the range unit
        # by unit (reading each one's terms): twice as slow for "証明書 期限" at 100,000 requests.
        # A short range is walked: the GIN lists of a word of common bigrams cost more than a
        # few thousand units (タイムアウト), and so do a prefix's, which are every term it
        # begins ("timed out": out*, 3x slower by bitmaps). So is a word of more than two
        # bigrams: the planner takes them for independent, expects one match, skips the range's
        # bitmap and reads every match in the table (バックアップジョブ: 10,000 pages).
        bitmaps = low - start > BITMAP_RANGE and not any(
            word.prefix or len(word.terms) > 2 for word in query.words)
        with _planner_off(*(["indexscan"] if bitmaps else [])):
            rows += db.session.execute(text(sql), {**params, "start": start << GROUP_SHIFT,
                                                   "low": low << GROUP_SHIFT, "cap": rest}).all()
        low = start
    return rows


WORDS_FIRST_BANDS = 2  # the newest bands asked first (8,192 to 16,384 groups)
WORDS_MAX_BANDS = 16  # more bands than this are asked as "everything older" instead


def _newest_by_words(query, internal: bool, table: str, cap: int, ranked: bool,
                     top: int | None = None) -> list:
    """Several words, or one of more than two terms (staff, every organisation): the newest
    groups whose row of terms holds every word, by that table's GIN index alone — the posting
    lists of each word's terms ANDed, with the term of the newest bands, so that only the
    matching rows' narrow pages of those bands are read (a bitmap, never a walk that reads each
    vector) — each then checked against its own units (each word's terms in one unit, as
    everywhere else) and, when `ranked`, given its relevance from them in the same statement.
    Candidates that fail the check (a word's terms spread over several units, or a word an edit
    removed) are replaced by older ones. What the newest bands held says how often the query
    matches: the bands that should hold the rest are asked next, then everything older."""
    if top is None:  # else the newest group still to look at (below a window already walked)
        top = db.session.scalar(text(f"SELECT max(id) FROM {words_table(table)}"))
    if top is None or top < 0:
        return []
    rows: list[tuple] = []
    newest = top >> BAND_SHIFT
    lowest = max(0, newest - WORDS_FIRST_BANDS + 1)
    _collect(query, internal, table, cap, ranked, range(lowest, newest + 1), rows, top)
    if len(rows) < cap and lowest > 0 and rows:
        seen = top - (lowest << BAND_SHIFT) + 1  # groups looked at so far
        # the bands that should hold the rest, by how often the query matched so far (half
        # again more); nothing found yet: everything older (a rare pair: its lists are short)
        more = -(-((cap - len(rows)) * seen * 3) // (2 * len(rows) << BAND_SHIFT))
        if more <= WORDS_MAX_BANDS and more < lowest:
            _collect(query, internal, table, cap, ranked, range(lowest - more, lowest), rows, top)
            lowest -= more
    if len(rows) < cap and lowest > 0:
        _collect(query, internal, table, cap, ranked, range(0, lowest), rows, top)
    return rows[:cap]


def _collect(query, internal: bool, table: str, cap: int, ranked: bool, bands, rows: list,
             top: int) -> None:
    """Add to `rows` the verified groups of these bands up to `top`, newest first, until `cap`."""
    below = top + 1
    while len(rows) < cap:
        candidates = _holding(query, internal, table, cap, below, bands)
        if not candidates:
            return
        found = _verified(query, internal, table, candidates, ranked)
        rows += [(group, found[group]) if ranked else (group,)
                 for group in candidates if group in found]
        if len(candidates) < cap:
            return
        below = candidates[-1]


def _holding(query, internal: bool, table: str, cap: int, below: int,
             bands: range) -> list[int]:
    """The newest `cap` groups of these bands (below `below`) whose row of terms holds every
    word: by bitmap only. A walk of the primary key (testing each row's vector, de-TOASTed) or
    a sequential scan is what the planner picks when it expects many matches; both read
    vectors, the bitmap none. A long range of bands is asked as a range of ids instead of a
    term per band."""
    conditions = ["terms @@ CAST(:q AS tsquery)"]
    wanted = tsquery(query, internal)
    if len(bands) <= WORDS_MAX_BANDS:
        wanted = "(" + " | ".join(f"'{BAND}{band}'" for band in bands) + f") & ({wanted})"
    else:
        conditions.append("id < :high")
    conditions.append("id < :below")
    with _planner_off("indexscan", "seqscan"):
        return list(db.session.scalars(text(
            f"SELECT id FROM {words_table(table)} WHERE {' AND '.join(conditions)} "
            "ORDER BY id DESC LIMIT :cap"),
            {"q": wanted, "below": below, "high": bands.stop << BAND_SHIFT, "cap": cap}))


@contextmanager
def _planner_off(*methods: str):
    """The statements inside planned without these scan methods (`SET LOCAL enable_<m> = off`),
    switched on again after them, in this transaction."""
    for method in methods:
        db.session.execute(text(f"SET LOCAL enable_{method} = off"))
    try:
        yield
    finally:
        for method in methods:
            db.session.execute(text(f"SET LOCAL enable_{method} = on"))


def _verified(query, internal: bool, table: str, groups: list[int], ranked: bool) -> dict:
    """Those of `groups` in which every word's terms occur in one unit: {group: relevance}
    (ts_rank summed over the units that hold any word, as `scores`; 0 when not `ranked`)."""
    any_word = type(query)(query.words, any=True)
    held = " AND ".join(f"bool_or(terms @@ CAST(:w{i} AS tsquery))"
                        for i in range(len(query.words)))
    rank = "sum(ts_rank(terms, CAST(:a AS tsquery)))" if ranked else "0"
    params = {f"w{i}": tsquery(type(query)((word,)), internal)
              for i, word in enumerate(query.words)}
    found = db.session.execute(text(
        f"SELECT wanted.ticket, {rank}, {held} FROM {_units_of(table)} "
        "WHERE terms @@ CAST(:a AS tsquery) GROUP BY wanted.ticket"),
        {**params, "a": tsquery(any_word, internal), "ids": [int(g) for g in groups]})
    return {row[0]: row[1] for row in found if row[2]}


def _units_of(table: str) -> str:
    """The units of the groups :ids, each with its group (wanted.ticket)."""
    # LATERAL (kept apart by OFFSET 0): one range scan of the primary key per group. As a plain
    # join on BETWEEN the
    # planner walked the whole index and filtered (1.1 s for 20 groups at 100,000 requests).
    return (f"unnest(CAST(:ids AS bigint[])) AS wanted(ticket) CROSS JOIN LATERAL (SELECT * FROM "
            f"{table} WHERE {table}.id BETWEEN wanted.ticket << {GROUP_SHIFT} AND "
            f"((wanted.ticket + 1) << {GROUP_SHIFT}) - 1 OFFSET 0) AS {table}")


def scores(query, ids, *, internal: bool, table: str = TABLE) -> dict[int, float]:
    """ts_rank summed over each group's units that match any word."""
    _custom_plans()
    any_word = type(query)(query.words, any=True)
    rows = db.session.execute(text(
        f"SELECT wanted.ticket, sum(ts_rank(terms, CAST(:search_query AS tsquery))) FROM {_units_of(table)} "
        "WHERE terms @@ CAST(:search_query AS tsquery) GROUP BY wanted.ticket"),
        {"search_query": tsquery(any_word, internal), "ids": [int(i) for i in ids]})
    return {row[0]: row[1] for row in rows}


def terms(keys, *, internal: bool, table: str = TABLE) -> dict[int, set[str]]:
    """The distinct terms of these units (staff-only ones for staff, without their `~`)."""
    found: dict[int, set[str]] = {}
    for key, lexemes in db.session.execute(text(
            f"SELECT id, tsvector_to_array(terms) FROM {table} WHERE id = ANY(:keys)"),
            {"keys": [int(k) for k in keys]}):
        found[key] = {lexeme[1:] if lexeme.startswith("~") else lexeme for lexeme in lexemes
                      if not lexeme.startswith("@") and (internal or not lexeme.startswith("~"))}
    return found


def texts(ids, *, internal: bool, table: str = TABLE) -> dict[int, list[str]]:
    public: dict[int, list[str]] = {}
    staff: dict[int, list[str]] = {}
    for row in db.session.execute(text(
            f"SELECT wanted.ticket, public_text, internal_text FROM {_units_of(table)} ORDER BY {table}.id"),
            {"ids": [int(i) for i in ids]}):
        public.setdefault(row[0], []).append(row[1])
        staff.setdefault(row[0], []).append(row[2])
    return {group: texts + staff[group] if internal else texts for group, texts in public.items()}


def clear(connection, table: str = TABLE) -> None:
    connection.execute(text(f"TRUNCATE {table}"))
    if table in GROUPED:
        connection.execute(text(f"TRUNCATE {words_table(table)}"))


def size_bytes(table: str = TABLE) -> int:
    """The units' table with its indexes and texts, and the groups' terms where there are."""
    tables = [table, words_table(table)] if table in GROUPED else [table]
    return sum(int(db.session.execute(text(f"SELECT pg_total_relation_size('{name}')")).scalar_one())
               for name in tables)
