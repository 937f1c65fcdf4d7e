"""Production set-up: gunicorn's configuration, the reverse proxy (ProxyFix, HTTPS, HSTS, secure
cookies), and the login throttle shared by two real gunicorn servers through the real Redis."""
from __future__ import annotations

import json
import multiprocessing
import runpy
import sys
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from sqlalchemy import text

from tests import factories
from tests.conftest import CSRF_RE, ROOT
from tests.integration.ops.conftest import (
    free_port,
    gunicorn_command,
    portal_env,
    start,
    stop,
    wait_until_serving,
)

REDIS = "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(("env", "expected"), [
    ({}, {"bind": ["127.0.0.1:8000"], "workers": multiprocessing.cpu_count() * 2 + 1}),
    ({"PORTAL_BIND": "0.0.0.0:9000", "WEB_CONCURRENCY": "3"},
     {"bind": ["0.0.0.0:9000"], "workers": 3}),
], ids=["defaults", "from-environment"])
def test_gunicorn_configuration(monkeypatch, env, expected):
    for name in ("PORTAL_BIND", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert {key: settings[key] for key in expected} == expected
    assert (settings["worker_class"], settings["accesslog"], settings["wsgi_app"]) == \
        ("gthread", None, "wsgi:app")
    assert settings["threads"] >= 2 and settings["timeout"] >= 30
    assert "127.0.0.1" in settings["forwarded_allow_ips"]
    # built once in the master, so that recycling a worker does not import everything again
    assert settings["preload_app"] is True and callable(settings["post_fork"])
    assert callable(settings["when_ready"])  # warms the master up before the first fork
    assert settings["max_requests"] >= 10000


def test_a_forked_worker_starts_with_empty_connection_pools(app):
    """post_fork's job: the pooled connections a worker inherits are dropped, not shared."""
    from portal.db import db, forget_inherited_connections

    db.session.execute(text("SELECT 1"))
    db.session.commit()
    pool = db.engine.pool
    assert pool.checkedin() >= 1
    forget_inherited_connections(app)
    assert db.engine.pool is not pool and db.engine.pool.checkedin() == 0
    assert db.session.execute(text("SELECT 1")).scalar() == 1  # and it connects afresh
    pool.dispose()  # no fork here: this process still owns the old sockets, so close them


def test_the_master_warms_up_without_touching_the_database(make_app, database_url):
    """What gunicorn's master does before forking (when_ready): every template compiled, the
    catalogues and the holidays loaded, so a recycled worker inherits them, and no database
    connection opened that a worker could inherit."""
    from flask_babel import get_domain
    from sqlalchemy import event

    from portal.core.calendar import japanese_holidays
    from portal.db import db
    from portal.web.warm import warm_up

    fresh = make_app(database_url)
    connections = []
    with fresh.app_context():
        event.listen(db.engine, "connect", lambda *args: connections.append(args))
        with fresh.test_request_context("/"):
            get_domain().cache.clear()
    japanese_holidays.cache_clear()
    environment = fresh.jinja_env
    names = environment.list_templates(extensions=("html", "txt"))
    assert len(environment.cache or {}) == 0

    done = warm_up(fresh)

    assert done["templates"] == len(names) and "base.html" in names
    assert len(environment.cache) == len(names)  # compiled and kept: none left for a worker
    assert environment.get_template("base.html") is environment.get_template("base.html")
    assert japanese_holidays.cache_info().currsize == done["holiday_years"] == 3
    # what commands import or build on first use, a worker gets from the master
    from pydantic import BaseModel

    from portal.web.warm import LAZY_LIBRARIES

    models, waiting = [], list(BaseModel.__subclasses__())
    while waiting:
        models.append(waiting.pop())
        waiting.extend(models[-1].__subclasses__())
    api_models = [m for m in models if m.__module__.startswith("portal.")]
    assert len(api_models) > 50 and all(m.__pydantic_complete__ for m in api_models)
    assert all(name in sys.modules for name in LAZY_LIBRARIES)
    with fresh.test_request_context("/"):
        assert {language for language, _domain in get_domain().cache} == {"ja", "en"}
    assert connections == []
    with fresh.app_context():
        assert db.engine.pool.checkedout() == 0 and db.engine.pool.checkedin() == 0


def test_behind_the_proxy_https_gives_hsts_and_secure_cookies(monkeypatch, make_app, client_for,
                                                              database_url):
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.jp")
    portal = client_for(make_app(database_url, PROXY_FIX=True))

    proxied = portal.get("/login", base_url="http://portal.example.jp",
                         headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert proxied.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in proxied.headers["Set-Cookie"]
    assert "HttpOnly" in proxied.headers["Set-Cookie"]

    plain = portal.get("/login", base_url="http://portal.example.jp")
    assert "Strict-Transport-Security" not in plain.headers


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's browser behind nginx: one cookie jar, one forwarded client address."""

    def __init__(self, address: str):
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())
        self.headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "http"}
        self.token = ""

    def open(self, url: str, form: dict | None = None) -> tuple[int, str]:
        data = urlencode({"csrf_token": self.token, **form}).encode() if form is not None else None
        try:
            with self.opener.open(Request(url, data=data, headers=self.headers), timeout=20) as a:
                return a.status, a.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, base: str, password: str) -> int:
        if not self.token:
            self.token = CSRF_RE.search(self.open(f"{base}/login")[1]).group(1)
        return self.open(f"{base}/login", {"email": "admin@acme.example", "password": password})[0]


@pytest.fixture()
def redis_prefix():
    import redis

    prefix = f"madoguchi-test-{uuid.uuid4().hex[:12]}"
    connection = redis.Redis.from_url(REDIS)
    yield prefix, connection
    keys = list(connection.scan_iter(f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def test_login_throttle_is_shared_by_two_servers_through_redis(app, database_url, redis_prefix,
                                                               tmp_path):
    factories.two_organizations()
    prefix, connection = redis_prefix
    servers = []
    try:
        for name in ("a", "b"):
            port = free_port()
            env = portal_env(database_url, PORTAL_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
                             PORTAL_THREADS="2", PORTAL_PROXY_FIX="1",
                             PORTAL_RATELIMIT_STORAGE_URL=REDIS,
                             PORTAL_RATELIMIT_KEY_PREFIX=prefix,
                             PORTAL_INSTANCE_PATH=app.config["INSTANCE_PATH"])
            process = start(gunicorn_command(), env, tmp_path / f"{name}.log")
            servers.append((f"http://127.0.0.1:{port}", process, tmp_path / f"{name}.log"))
        for base, process, _log in servers:
            wait_until_serving(base, process)
        (a, _pa, log_a), (b, _pb, log_b) = servers

        person = Browser("198.51.100.23")
        assert [person.sign_in(a, "wrong password") for _ in range(3)] == [422] * 3
        assert [person.sign_in(b, "wrong password") for _ in range(2)] == [422] * 2
        assert person.sign_in(b, factories.PASSWORD) == 429  # five failures, counted across both
        assert person.sign_in(a, factories.PASSWORD) == 429
        assert Browser("203.0.113.50").sign_in(a, factories.PASSWORD) == 302  # someone else
        assert list(connection.scan_iter(f"*{prefix}*"))
    finally:
        for _base, process, _log in servers:
            stop(process)

    lines = [json.loads(line) for line in log_b.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("message", "").startswith("warmed up: ") for line in lines)
    refused = [line for line in lines if line.get("logger") == "portal.request"
               and line.get("status") == 429]
    assert refused and refused[0]["route"] == "/login" and refused[0]["request_id"]



@pytest.mark.parametrize(("storage", "warned"), [(None, True), (REDIS, False)],
                         ids=["memory-default", "redis"])
def test_several_workers_without_a_shared_limit_store_are_warned_of_at_start(
        app, database_url, tmp_path, storage, warned):
    """The embedded default counts sign-in failures per worker: gunicorn says so at start-up."""
    port = free_port()
    env = portal_env(database_url, PORTAL_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
                     PORTAL_THREADS="1", PORTAL_INSTANCE_PATH=app.config["INSTANCE_PATH"])
    env.pop("PORTAL_RATELIMIT_STORAGE_URL", None)
    if storage:
        env["PORTAL_RATELIMIT_STORAGE_URL"] = storage
    log = tmp_path / "gunicorn.log"
    process = start(gunicorn_command(), env, log)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process)
    finally:
        stop(process)
    said = "counted per worker, so 2 workers allow 2 times" in log.read_text()
    assert said is warned
