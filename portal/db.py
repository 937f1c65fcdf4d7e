"""The declarative Base, the session, and one commit per request."""
from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from functools import lru_cache

from flask import Flask, Response, g, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An aware UTC instant on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

# The largest id a row can have: PostgreSQL's `integer` (SQLite's are 64-bit, but the portal
# runs on both). An id beyond it (from a URL, a body or a form) names no row: looking it up would
# make PostgreSQL refuse the query, so it is answered as missing without asking (`get`, and the
# `int` URL converter of portal/web/routing.py, for every id route of pages and API).
ID_MAX = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether `value` could be the id of a row: an int (not a bool) in 1..ID_MAX."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def id_from_text(text: object) -> int | None:
    """The id written in `text` (ASCII digits only, so not a full-width １２), or None."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if is_id(value) else None


def get(model, ident):
    """`db.session.get(model, ident)`, or None for an id no row can have."""
    return db.session.get(model, ident) if is_id(ident) else None


def get_or_404(model, ident):
    """`get`, or abort with 404: a too-large id is missing, like any other unknown one."""
    from flask import abort

    row = get(model, ident)
    if row is None:
        abort(404)
    return row


def insert_ignore(model, **values):
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # only the dialect in use is imported (the other costs a command's start 70 ms)
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).values(**values).on_conflict_do_nothing()


def utcnow() -> datetime:
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL, and a busy timeout for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def forget_inherited_connections(app) -> None:
    """In a freshly forked worker (gunicorn's preload_app): start with empty connection pools
    instead of sharing the parent's sockets (SQLAlchemy's `dispose(close=False)`)."""
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # another app served with the same settings (bench's bare "hello")
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def init_request_commit(app: Flask) -> None:
    """Commit once per successful request that wrote something; roll back on any error answer.

    A request that only read has nothing to commit: the session is closed at the end of the
    request either way (Flask-SQLAlchemy), which ends its reads."""

    @app.after_request
    def _commit(response: Response) -> Response:
        session = db.session
        if response.status_code >= 400:
            session.rollback()
        elif g.get("database_written") or session.new or session.dirty or session.deleted:
            session.commit()
        return response


# A SELECT that takes locks or changes something still needs a transaction around it.
_NOT_A_PLAIN_READ = re.compile(
    r"\bFOR\s+(?:UPDATE|SHARE|NO\s+KEY|KEY\s+SHARE)\b|nextval|setval|pg_advisory|pg_notify"
    r"|set_config", re.IGNORECASE)
READING_METHODS = frozenset(("GET", "HEAD"))


@lru_cache(maxsize=2048)  # statements are the few texts of SQLAlchemy's compiled cache
def _plain_read(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT" and not _NOT_A_PLAIN_READ.search(statement)


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    """Remember that this request sent something other than a plain read (see _commit), and on
    PostgreSQL leave autocommit before it (see _fewest_round_trips)."""
    if _plain_read(statement):
        return
    if has_request_context():
        g.database_written = True
    info = conn.connection.info
    if info.get("reading"):
        conn.connection.driver_connection.autocommit = False
        info["reading"] = False


def init_connection_handling(app: Flask) -> None:
    """PostgreSQL only: the fewest round trips a page view needs, without giving up safety.

    * A connection is pinged as it leaves the pool only when it sat idle there longer than
      DATABASE_PING_AFTER_S (a restarted or failed-over server drops idle connections); a
      connection that was in use a moment ago is handed out as it is. A dead one is replaced
      before the request sees it (SQLAlchemy's DisconnectionError: discard and retry).
    * Page views (GET/HEAD) read without BEGIN and COMMIT: the connection is in autocommit
      while it only runs plain SELECTs. Under READ COMMITTED every statement takes its own
      snapshot anyway, so reads see exactly what they saw inside a transaction. The first
      statement that is not a plain read (INSERT, UPDATE, DELETE, SAVEPOINT, SELECT … FOR
      UPDATE, …) switches the connection back, so a page view that writes does so in one
      transaction, committed or rolled back with the request as before. A connection keeps its
      mode in the pool and is switched as it leaves it: to autocommit for a page view, to
      transaction mode for anything else (a form, the API's writes, the CLI, the workers).
    * No JIT compilation (see _without_jit).
    SQLite needs none of this: no server to lose, and no BEGIN is sent before a read.
    """
    with app.app_context():
        engines = list(db.engines.values())
    ping_after = app.config["DATABASE_PING_AFTER_S"]  # portal/config.py, from the environment
    for engine in engines:
        if engine.dialect.name == "postgresql":
            _fewest_round_trips(engine, ping_after)


def _fewest_round_trips(engine: Engine, ping_after: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _without_jit(dbapi_connection, record) -> None:
        """No JIT compilation: the portal's statements run for milliseconds, and PostgreSQL
        compiles a statement whose estimated cost passes jit_above_cost — at 1,000,000 requests a
        search's check of its 200 candidates was estimated 675,000 for 2 ms of work and spent
        58 ms compiling (docs/performance.md, seventh round). Once per new connection."""
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.autocommit = autocommit

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since > ping_after:
            try:
                dialect.do_ping(dbapi_connection)
            except dialect.loaded_dbapi.Error as error:
                raise exc.DisconnectionError("the database dropped an idle connection") from error
        # a page view reads in autocommit, everything else in a transaction; a connection keeps
        # its mode in the pool, so a page view after a page view switches nothing
        reading = has_request_context() and request.method in READING_METHODS
        if dbapi_connection.autocommit is not reading:
            try:
                dbapi_connection.autocommit = reading
            except dialect.loaded_dbapi.Error as error:
                raise exc.DisconnectionError("the connection cannot be used") from error
        record.info["reading"] = reading

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()
