"""Dump and restore the database, consistently, while the portal runs.

SQLite: the online backup API copies a consistent snapshot (WAL included) and, on restore, copies
the pages back into the live file under SQLite's own locks, so a running portal never sees a
half-replaced file. PostgreSQL: pg_dump (custom format, one snapshot); the restore runs
pg_restore's script through psql in a single transaction, so it either fully happens or not at all.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from portal.ops.archive import BackupError

KINDS = {"sqlite": "portal.sqlite3", "postgresql": "portal.pgdump"}
LOCK_TIMEOUT = "30s"


def kind_of(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in KINDS:
        raise BackupError(f"backups of {kind} databases are not supported")
    return kind


def archive_name(kind: str) -> str:
    return f"database/{KINDS[kind]}"


def dump(engine: Engine, folder: Path) -> tuple[Path, str | None]:
    """Write the database into `folder`; return the file and its schema revision."""
    kind = kind_of(engine)
    target = folder / KINDS[kind]
    if kind == "sqlite":
        _sqlite_copy(_sqlite_path(engine, must_exist=True), target)
        return target, _sqlite_revision(target)
    revision = _revision(engine)
    _run(["pg_dump", "--format=custom", "--file", str(target), "--dbname", _libpq_uri(engine)],
         engine, "pg_dump could not dump the database")
    return target, revision


def restore(engine: Engine, dump_file: Path, work: Path) -> None:
    """Make the configured database exactly the dumped one."""
    engine.dispose()
    if kind_of(engine) == "sqlite":
        _sqlite_restore(dump_file, _sqlite_path(engine, must_exist=False))
    else:
        _postgresql_restore(engine, dump_file, work)
    engine.dispose()


# --- SQLite -------------------------------------------------------------------------------------

def _sqlite_path(engine: Engine, must_exist: bool) -> Path:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    path = Path(name)
    if must_exist and not path.is_file():
        raise BackupError(f"no database file at {path}")
    return path


def _sqlite_copy(source_path: Path, target: Path) -> None:
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup failed: {error}") from error
    finally:
        destination.close()
        source.close()


def _sqlite_revision(path: Path) -> str | None:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _sqlite_restore(dump_file: Path, target: Path) -> None:
    source = sqlite3.connect(dump_file)
    try:
        verdict = source.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"the database in the archive is corrupt: {verdict}")
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target, timeout=30)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite restore failed, the database is unchanged: {error}") from error
    finally:
        source.close()


# --- PostgreSQL ---------------------------------------------------------------------------------

def _revision(engine: Engine) -> str | None:
    from portal.ops.health import schema_revisions

    with engine.connect() as connection:
        return ",".join(sorted(schema_revisions(connection))) or None


def _libpq_uri(engine: Engine) -> str:
    """The URL for libpq tools, without the password (that goes in PGPASSWORD)."""
    url = engine.url.set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _run(command: list[str], engine: Engine, failure: str) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed: install postgresql-client "
                          "(the same major version as the server), see docs/production.md")
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = engine.url.password
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{failure}: {detail}")


def _postgresql_restore(engine: Engine, dump_file: Path, work: Path) -> None:
    script = work / "restore.sql"
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--file", str(script), str(dump_file)], engine, "pg_restore could not read the dump")
    prelude = work / "prelude.sql"
    prelude.write_text(_drop_everything_sql(engine))
    _run(["psql", "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--single-transaction",
          "--file", str(prelude), "--file", str(script), "--dbname", _libpq_uri(engine)],
         engine, "the database could not be restored and is unchanged")


def _drop_everything_sql(engine: Engine) -> str:
    """Drop the current tables and enum types first (same transaction as the restore), so that
    tables newer than the backup do not survive it and `db upgrade` can run afterwards."""
    with engine.connect() as connection:
        tables = connection.scalars(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
        enums = connection.scalars(text(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typtype = 'e'")).all()
    engine.dispose()
    lines = [f"SET lock_timeout = '{LOCK_TIMEOUT}';"]
    lines += [f"DROP TABLE IF EXISTS public.{_quote(name)} CASCADE;" for name in tables]
    lines += [f"DROP TYPE IF EXISTS public.{_quote(name)} CASCADE;" for name in enums]
    return "\n".join(lines) + "\n"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
