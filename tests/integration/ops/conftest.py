"""Operability fixtures: more portal instances beside the test one (a fresh database, a database
that goes away, a closed port), the command line, and processes started like on a server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.request import urlopen

import pytest
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from tests.conftest import ROOT, PortalClient, _free_port

UNREACHABLE_DB = "postgresql+psycopg://postgres@127.0.0.1:1/madoguchi"


@pytest.fixture()
def cli(app):
    return app.test_cli_runner()


@pytest.fixture()
def make_app(monkeypatch):
    """Build another portal instance: its own database URL and, optionally, instance folder."""
    made = []

    def build(database_url: str, instance: Path | None = None, **config):
        from portal import create_app

        if instance is not None:
            monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(instance))
        other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                            "OUTBOX_INLINE": False, "RATELIMIT_STORAGE_URI": "memory://",
                            "BASE_URL": "https://portal.example.jp", **config})
        made.append(other)
        return other

    yield build
    from portal.db import db

    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture()
def client_for():
    return lambda other: PortalClient(other.test_client())


@pytest.fixture()
def fresh_database_url(database_url, tmp_path):
    """An empty database of the same kind as the test database, dropped afterwards."""
    created = []

    def make() -> str:
        if not database_url.startswith("postgresql"):
            folder = tmp_path / uuid.uuid4().hex[:8]
            folder.mkdir()
            return f"sqlite:///{folder / 'portal.db'}"
        name = f"portal_ops_{uuid.uuid4().hex[:10]}"
        _admin(database_url, f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(database_url).set(database=name).render_as_string(hide_password=False)

    yield make
    for name in created:
        _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(database_url: str, statement: str) -> None:
    engine = create_engine(make_url(database_url).set(database="postgres"),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def admin_sql(database_url: str, statement: str) -> None:
    _admin(database_url, statement)


def migrate(other_app) -> None:
    from flask_migrate import upgrade

    with other_app.app_context():
        upgrade(directory=str(ROOT / "migrations"))


def row_counts(db) -> dict[str, int]:
    """Rows in every table the models know, and in alembic_version: generic, so tables other
    features add later are covered too."""
    names = [model_table.name for model_table in db.metadata.sorted_tables]
    with db.engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {name: connection.scalar(select(func.count()).select_from(table(name)))
                if name in present else None for name in [*names, "alembic_version"]}


def portal_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment a server would have: settings only through PORTAL_* variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_TEST")}
    env.update({"PORTAL_DATABASE_URL": database_url, "PORTAL_OUTBOX_INLINE": "0",
                "PORTAL_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle,
                                stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, timeout: float = 15) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped while starting"
        try:
            with urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start serving")


def gunicorn_command() -> list[str]:
    program = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    return [program or "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]


def free_port() -> int:
    return _free_port()
