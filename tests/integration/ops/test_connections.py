"""What a request does with its database connection (portal/db.py): a request that only reads
commits nothing, one that writes keeps everything it wrote (or nothing when it fails), and on
PostgreSQL a page view reads without BEGIN/COMMIT, a connection the server dropped while it sat
idle is replaced before anyone sees it, and every connection goes back to the pool ready for a
transaction."""
from __future__ import annotations

import re
import time

import pytest
from flask import abort
from sqlalchemy import select, text, update

from portal.accounts.models import Organization
from portal.db import db
from tests import factories


def _is_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture()
def org(app):
    return factories.organization(slug="conn", name="元の名前")


@pytest.fixture()
def portal(make_app, database_url, org):
    """Another portal on the test database with a few views that read and write like pages do."""
    return _portal(make_app, database_url, ping_after=0.2)


def _portal(make_app, database_url, ping_after: float | None):
    engine_options = {"hide_parameters": True}
    if _is_postgresql(database_url):  # to find its connections in pg_stat_activity
        engine_options["connect_args"] = {"application_name": "madoguchi-conn-test"}
    ping = {} if ping_after is None else {"DATABASE_PING_AFTER_S": ping_after}  # None: from env
    other = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS=engine_options,
        WTF_CSRF_ENABLED=False, **ping)  # the forms are not under test

    def rename_core(slug: str):  # a Core UPDATE: no ORM object is left pending
        db.session.execute(update(Organization).where(Organization.slug == slug)
                           .values(name="コアで変更"))
        return "ok"

    def rename_orm(slug: str):  # an ORM change, flushed by the commit at the end
        db.session.scalars(select(Organization).where(Organization.slug == slug)).one().name = \
            "ORMで変更"
        return "ok"

    def rename_then_fail(slug: str):
        rename_core(slug)
        db.session.flush()
        abort(409)

    def read(slug: str):
        return db.session.scalars(select(Organization.name).where(Organization.slug == slug)).one()

    for view in (rename_core, rename_orm, rename_then_fail, read):
        other.add_url_rule(f"/t/{view.__name__}/<slug>", view.__name__, view,
                           methods=["GET", "POST"])
    return other


def _name_now(slug: str) -> str:
    db.session.rollback()  # a fresh look, not the test session's own copy
    return db.session.scalars(select(Organization.name).where(Organization.slug == slug)).one()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view, name", [("rename_core", "コアで変更"), ("rename_orm", "ORMで変更")])
def test_a_request_that_writes_keeps_its_write(portal, org, method, view, name):
    answer = getattr(portal.test_client(), method)(f"/t/{view}/conn")
    assert answer.status_code == 200
    assert _name_now("conn") == name


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_request_that_fails_after_writing_keeps_nothing(portal, org, method):
    answer = getattr(portal.test_client(), method)("/t/rename_then_fail/conn")
    assert answer.status_code == 409
    assert _name_now("conn") == "元の名前"


def _require_postgresql(database_url: str) -> None:
    if not _is_postgresql(database_url):
        pytest.skip("PostgreSQL only (SQLite sends no BEGIN before a read and has no server)")


def _statements(portal, client, method: str, url: str, path) -> list[str]:
    """What the portal sends to PostgreSQL for one request (libpq's own protocol trace)."""
    with open(path, "w") as trace_file:
        _trace(portal, client, method, url, trace_file)
    sent = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if parts[0] == "F" and len(parts) > 3 and parts[2] in ("Query", "Parse"):
            words = [word for word in re.findall(r'"([A-Za-z]*)', parts[3]) if word]
            sent.append(words[-1].upper() if words else parts[3].strip())  # ";": a ping
    return sent


def _trace(portal, client, method: str, url: str, trace_file) -> None:
    from psycopg.pq import Trace
    from sqlalchemy import event

    with portal.app_context():
        db.engine.dispose()  # a fresh connection, traced from its first message

        def trace(dbapi_connection, record):
            dbapi_connection.pgconn.trace(trace_file.fileno())
            dbapi_connection.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS)

        event.listen(db.engine, "connect", trace)
    try:
        answer = getattr(client, method)(url)
        assert answer.status_code < 400
    finally:
        with portal.app_context():
            event.remove(db.engine, "connect", trace)
            db.engine.dispose()


def test_page_views_read_without_begin_or_commit_and_writes_keep_theirs(portal, database_url,
                                                                         org, tmp_path):
    _require_postgresql(database_url)
    client = portal.test_client()
    read = _statements(portal, client, "get", "/t/read/conn", tmp_path / "read.trace")
    write = _statements(portal, client, "post", "/t/rename_core/conn", tmp_path / "write.trace")
    get_write = _statements(portal, client, "get", "/t/rename_core/conn",
                            tmp_path / "get-write.trace")
    assert read == ["SELECT"]  # no ping, no BEGIN, no COMMIT: one round trip
    assert write == ["BEGIN", "UPDATE", "COMMIT"]
    assert get_write == ["BEGIN", "UPDATE", "COMMIT"]  # a page view that writes: a transaction


def _cut_connections() -> int:
    """The server goes away and comes back: every connection of the test portal is cut."""
    dropped = db.session.execute(text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = 'madoguchi-conn-test'")).scalar_one()
    db.session.commit()
    return dropped


def test_a_connection_dropped_while_idle_is_replaced_unseen(portal, database_url, org):
    _require_postgresql(database_url)
    client = portal.test_client()
    assert client.get("/t/read/conn").get_data(as_text=True) == "元の名前"
    with portal.app_context():
        assert db.engine.pool.checkedin() >= 1
    assert _cut_connections() >= 1
    time.sleep(0.3)  # longer than DATABASE_PING_AFTER_S: pinged, found dead, replaced
    answer = client.get("/t/read/conn")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "元の名前"


def test_a_connection_cut_while_still_fresh_costs_one_calm_503_then_reconnects(
        make_app, database_url, org):
    """The price of not pinging a connection used a moment ago: if the server restarts in those
    seconds, the one request that meets the dead connection gets the calm "try again" page (503
    with Retry-After, not a 500), the pool drops its connections, and the next request works."""
    _require_postgresql(database_url)
    portal = _portal(make_app, database_url, ping_after=60)
    client = portal.test_client()
    assert client.get("/t/read/conn").status_code == 200
    assert _cut_connections() >= 1
    met_it = client.get("/t/read/conn")
    assert met_it.status_code == 503
    assert met_it.headers["Retry-After"].isdigit()
    again = client.get("/t/read/conn")
    assert again.status_code == 200
    assert again.get_data(as_text=True) == "元の名前"


def test_ping_on_every_checkout_when_the_operator_sets_it_to_0(make_app, database_url, org,
                                                               monkeypatch):
    """PORTAL_DATABASE_PING_AFTER_S=0: even a connection used a moment ago is pinged, so a
    restart of the server costs nobody a 503 (one statement more per request)."""
    _require_postgresql(database_url)
    monkeypatch.setenv("PORTAL_DATABASE_PING_AFTER_S", "0")
    portal = _portal(make_app, database_url, ping_after=None)
    client = portal.test_client()
    assert client.get("/t/read/conn").status_code == 200
    assert _cut_connections() >= 1
    answer = client.get("/t/read/conn")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "元の名前"


def test_connections_go_back_to_the_pool_ready_for_a_transaction(portal, database_url, org):
    """After a page view the next user of the connection (a form, the CLI, the outbox worker)
    gets all-or-nothing transactions again, not autocommit."""
    _require_postgresql(database_url)
    client = portal.test_client()
    assert client.get("/t/read/conn").status_code == 200
    with portal.app_context():
        assert db.engine.pool.checkedin() == 1  # the same connection, used by the page view
        with db.engine.connect() as connection:
            connection.execute(update(Organization).where(Organization.slug == "conn")
                               .values(name="書きかけ"))
            connection.rollback()
    assert _name_now("conn") == "元の名前"


def test_the_portals_connections_never_compile_statements_with_jit(portal, database_url, org):
    """JIT off on every connection the portal opens, the first and a new one after the pool
    forgot its own: at a million requests PostgreSQL spent 58 ms compiling a search's 2 ms statement
    (docs/performance.md, seventh round)."""
    _require_postgresql(database_url)
    with portal.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        db.session.remove()
        db.engine.dispose()  # the pool forgets its connections: the next one is new
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        db.session.remove()
