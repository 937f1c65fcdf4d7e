"""`flask --app portal backup` and `restore`: a backup brings back everything after the instance
is destroyed, in place or on a fresh instance; two generations are kept; damage is refused."""
from __future__ import annotations

import io
import json
import shutil
import tarfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from portal.accounts import services
from portal.db import db
from portal.notifications.services import enqueue
from tests import factories
from tests.integration.ops.conftest import migrate, row_counts

ATTACHMENT = "attachments/2026/11/障害報告_スクリーンショット.png"
ATTACHMENT_BYTES = bytes(range(256)) * 40 + "本文".encode()


@pytest.fixture()
def portal_data(app):
    """Organisations, contracts, people, a token, a closure day, audit events, a queued mail and
    an uploaded attachment: something in as many tables as exist today."""
    people = factories.two_organizations()
    services.issue_token(people["staff"], "monitoring")
    services.add_closure_day(date(2026, 8, 14), "お盆休み", people["staff_admin"])
    services.record(people["acme_admin"], "test.backup", people["acme"], people["acme"].id)
    enqueue("admin@acme.example", "バックアップ試験", "本文\n")
    db.session.commit()
    uploads = Path(app.config["INSTANCE_PATH"]) / "uploads"
    (uploads / ATTACHMENT).parent.mkdir(parents=True, exist_ok=True)
    (uploads / ATTACHMENT).write_bytes(ATTACHMENT_BYTES)
    yield people
    shutil.rmtree(uploads, ignore_errors=True)
    shutil.rmtree(app.config["BACKUP_DIR"], ignore_errors=True)


def _backup(cli) -> Path:
    result = cli.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip().splitlines()[-1])
    assert path.is_file()
    return path


def _destroy(app) -> None:
    """Lose the database and the uploaded files, as on a dead disk."""
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        db.engine.dispose()
        database = Path(db.engine.url.database)
        for path in (database, *database.parent.glob(database.name + "-*")):
            path.unlink(missing_ok=True)
    else:
        db.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    shutil.rmtree(Path(app.config["INSTANCE_PATH"]) / "uploads")


def test_backup_archive_lists_database_and_files_with_checksums(app, cli, portal_data):
    path = _backup(cli)
    with tarfile.open(path, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert manifest["database"]["kind"] == db.engine.dialect.name
    from portal.ops.health import migration_heads

    assert {manifest["database"]["schema_revision"]} == set(migration_heads())
    [entry] = [item for item in manifest["files"] if item["path"] == f"uploads/{ATTACHMENT}"]
    assert entry["size"] == len(ATTACHMENT_BYTES)
    assert len(entry["sha256"]) == 64
    assert path.parent == Path(app.config["BACKUP_DIR"]) and path.stat().st_mode & 0o077 == 0


def test_destroyed_instance_comes_back_from_backup(app, cli, client, portal_data):
    before = row_counts(db)
    assert before["organizations"] == 2 and before["users"] == 6 and before["outbox_mails"] == 1
    archive = _backup(cli)
    _destroy(app)
    assert client.login("admin@acme.example").status_code == 503  # nothing left to sign in to

    result = cli.invoke(args=["restore", str(archive), "--yes"])

    assert result.exit_code == 0, result.output
    assert "restored" in result.output
    assert row_counts(db) == before
    uploads = Path(app.config["INSTANCE_PATH"]) / "uploads"
    assert (uploads / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES
    assert client.login("admin@acme.example").status_code == 302
    assert "株式会社アクメ" in client.get("/dashboard").get_data(as_text=True)


def test_restore_into_a_fresh_instance(app, cli, portal_data, make_app, fresh_database_url,
                                       client_for, tmp_path):
    before = row_counts(db)
    archive = _backup(cli)
    fresh = make_app(fresh_database_url(), instance=tmp_path / "new-instance")

    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(args=["restore", str(archive), "--yes"])
        assert result.exit_code == 0, result.output
        assert row_counts(db) == before
    restored = tmp_path / "new-instance" / "uploads" / ATTACHMENT
    assert restored.read_bytes() == ATTACHMENT_BYTES
    assert client_for(fresh).login("contact@kitsune.example").status_code == 302


def test_restore_replaces_newer_data_and_files(app, cli, client, portal_data):
    """A restore makes the instance exactly the backup: later rows and files are gone."""
    archive = _backup(cli)
    factories.organization("umi", "海運株式会社")
    uploads = Path(app.config["INSTANCE_PATH"]) / "uploads"
    (uploads / "later.txt").write_text("後から")

    assert cli.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0

    db.session.expire_all()
    assert row_counts(db)["organizations"] == 2
    assert not (uploads / "later.txt").exists()


def test_three_backups_leave_the_two_newest(app, cli, portal_data):
    paths = [_backup(cli) for _ in range(3)]
    kept = sorted(Path(app.config["BACKUP_DIR"]).glob("*.tar.gz"))
    assert kept == paths[1:]
    assert not paths[0].exists()


def test_restore_asks_first_and_no_changes_nothing(app, cli, portal_data):
    archive = _backup(cli)
    factories.organization("umi", "海運株式会社")

    result = cli.invoke(args=["restore", str(archive)], input="n\n")

    assert result.exit_code != 0
    assert "Replace this portal's database" in result.output and "Aborted" in result.output
    assert row_counts(db)["organizations"] == 3


def _rewrite(archive: Path, change) -> None:
    """Rebuild the archive with one member's bytes changed but the old manifest kept."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def _flip_middle(archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 16):
        data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))


DAMAGE = {
    "bytes-flipped": _flip_middle,
    "truncated": lambda a: a.write_bytes(a.read_bytes()[: a.stat().st_size // 2]),
    "attachment-changed": lambda a: _rewrite(
        a, lambda name, data: b"tampered" if name.startswith("uploads/") else data),
    "database-changed": lambda a: _rewrite(
        a, lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("database/")
        else data),
    "not-an-archive": lambda a: a.write_text("hello"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_archive_is_refused_and_nothing_changes(app, cli, portal_data, damage):
    archive = _backup(cli)
    factories.organization("umi", "海運株式会社")
    damage(archive)

    result = cli.invoke(args=["restore", str(archive), "--yes"])

    assert result.exit_code != 0
    assert "restore refused" in result.output
    assert "damaged" in result.output or "not a Madoguchi backup" in result.output
    assert row_counts(db)["organizations"] == 3
    uploads = Path(app.config["INSTANCE_PATH"]) / "uploads"
    assert (uploads / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES
    assert not list(Path(app.config["INSTANCE_PATH"]).glob(".restore-*"))


def test_backup_of_another_database_kind_is_refused(app, cli, portal_data):
    archive = _backup(cli)
    other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"

    def relabel(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["kind"] = other
        return json.dumps(manifest).encode()

    _rewrite(archive, relabel)
    result = cli.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code != 0 and f"holds a {other} database" in result.output


def test_restore_of_an_older_schema_says_to_upgrade(app, cli, portal_data, make_app,
                                                    fresh_database_url, tmp_path):
    """An archive from before a migration is restored as it was, and the operator is told to
    run `db upgrade` (readiness says the schema is behind until then)."""
    archive = _backup(cli)

    def older(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["schema_revision"] = "0000older"
        return json.dumps(manifest).encode()

    _rewrite(archive, older)
    fresh = make_app(fresh_database_url(), instance=tmp_path / "older")
    migrate(fresh)
    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "db upgrade" in result.output


def _second_connection():
    """Another server's connection to the same database, as while the portal runs."""
    from sqlalchemy import create_engine

    return create_engine(db.engine.url.render_as_string(hide_password=False))


def test_backup_while_a_write_is_in_progress_holds_only_committed_data(app, cli, portal_data,
                                                                       make_app,
                                                                       fresh_database_url,
                                                                       tmp_path):
    other = _second_connection()
    try:
        with other.connect() as connection:
            transaction = connection.begin()
            connection.execute(text("UPDATE organizations SET name = 'まだ確定していない名前'"))
            archive = _backup(cli)  # not blocked by the open write transaction
            transaction.rollback()
    finally:
        other.dispose()
    fresh = make_app(fresh_database_url(), instance=tmp_path / "check")
    with fresh.app_context():
        assert fresh.test_cli_runner().invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
        names = set(db.session.scalars(text("SELECT name FROM organizations")))
    assert names == {"株式会社アクメ", "北狐システムズ"}


def test_restore_while_another_server_stays_connected(app, cli, portal_data):
    archive = _backup(cli)
    factories.organization("umi", "海運株式会社")
    other = _second_connection()
    try:
        with other.connect() as connection:  # an idle connection of a running server
            assert connection.scalar(text("SELECT count(*) FROM organizations")) == 3
            connection.commit()
            result = cli.invoke(args=["restore", str(archive), "--yes"])
            assert result.exit_code == 0, result.output
            assert connection.scalar(text("SELECT count(*) FROM organizations")) == 2
    finally:
        other.dispose()
