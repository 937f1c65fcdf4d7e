"""/healthz and /readyz as the provider's monitoring sees them (shared/api.md "Health")."""
from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from portal.core import clock
from portal.db import db
from portal.notifications.models import OutboxMail
from tests import factories
from tests.integration.ops.conftest import UNREACHABLE_DB, admin_sql, migrate

CHECKS = {"database", "schema", "japanese_font", "outbox", "jobs"}


def _runner_ran() -> None:
    """A job runner went through the jobs just now (`jobs work --once`): /readyz wants one."""
    from portal.ops.jobs import run_due

    run_due("test-runner")


def test_healthz_answers_ok_without_a_session(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ok_when_everything_is(client):
    _runner_ran()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok"
    assert set(response.json["checks"]) == CHECKS
    assert all(check["ok"] for check in response.json["checks"].values())


def test_stuck_outbox_makes_readyz_fail_until_the_mail_goes(app, client):
    mail = OutboxMail(recipient="a@acme.example", subject="件名", body="本文",
                      next_attempt_at=clock.now() - timedelta(hours=2))
    db.session.add(mail)
    db.session.commit()
    from portal.ops.jobs import seen

    seen("test-runner")  # a runner that is alive but cannot send: the outbox check fails alone

    stuck = client.get("/readyz")
    assert stuck.status_code == 503
    assert stuck.json["status"] == "unavailable"
    assert stuck.json["checks"]["outbox"]["ok"] is False
    assert stuck.json["checks"]["database"]["ok"] is True

    mail.sent_at = clock.now()
    db.session.commit()
    assert client.get("/readyz").status_code == 200


def test_schema_behind_the_code_makes_readyz_fail(app, client):
    _runner_ran()
    with db.engine.begin() as connection:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = '0000older'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["schema"]["ok"] is False
        assert "db upgrade" in response.json["checks"]["schema"]["detail"]
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
    assert client.get("/readyz").status_code == 200


def test_unreachable_database_makes_readyz_fail_but_healthz_stays_ok(make_app, client_for):
    down = client_for(make_app(UNREACHABLE_DB))
    ready = down.get("/readyz")
    assert ready.status_code == 503
    checks = ready.json["checks"]
    assert (checks["database"]["ok"], checks["schema"]["ok"], checks["outbox"]["ok"]) == \
        (False, False, False)
    assert checks["japanese_font"]["ok"] is True
    assert down.get("/healthz").status_code == 200


def _take_database_away(url: str, moved: list):
    """Stop "the database server" for one portal: PostgreSQL's database is renamed under its
    live connections (they are cut), SQLite's folder moves away."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        folder = Path(parsed.database).parent
        shutil.move(folder, folder.with_name(folder.name + "-away"))
        moved.append(lambda: shutil.move(folder.with_name(folder.name + "-away"), folder))
        return
    name = parsed.database
    admin_sql(url, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    admin_sql(url, f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
    moved.append(lambda: admin_sql(url, f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'))


def test_readyz_turns_503_while_the_database_is_gone_and_200_when_it_is_back(
        make_app, fresh_database_url, client_for):
    url = fresh_database_url()
    other = make_app(url)
    migrate(other)
    with other.app_context():
        factories.two_organizations()
        _runner_ran()
    portal = client_for(other)
    assert portal.login("admin@acme.example").status_code == 302
    assert portal.get("/readyz").status_code == 200

    moved: list = []
    _take_database_away(url, moved)
    try:
        with other.app_context():
            db.engine.dispose()  # SQLite keeps open files; PostgreSQL's were cut already
        statuses = {path: portal.get(path).status_code
                    for path in ("/readyz", "/dashboard", "/profile", "/login", "/healthz",
                                 "/api/v1/me", "/no-such-page")}
    finally:
        moved.pop()()
    assert statuses["/readyz"] == statuses["/dashboard"] == statuses["/profile"] == 503
    assert statuses["/healthz"] == 200
    assert 500 not in statuses.values(), statuses

    assert portal.get("/readyz").status_code == 200
    assert portal.get("/dashboard").status_code == 200


def test_missing_japanese_font_makes_readyz_fail(client, monkeypatch, tmp_path):
    from portal.documents import pdf

    _runner_ran()
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    pdf.forget_font_check()
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "fonts-ipaexfont-gothic" in ready.json["checks"]["japanese_font"]["detail"]
    finally:
        monkeypatch.delenv("FONTCONFIG_FILE")
        pdf.forget_font_check()
    assert client.get("/readyz").status_code == 200
