"""`flask --app portal backup` and `flask --app portal restore FILE [--yes]` (shared/api.md)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from portal.ops import backup as backups
from portal.ops.archive import BackupError


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@click.command("backup")
@with_appcontext
def backup_command():
    """Back up the database and the uploaded files; keeps the two newest; prints the path last."""
    try:
        result = backups.create_backup()
    except BackupError as error:
        raise click.ClickException(f"backup failed: {error}") from error
    manifest = result.manifest
    click.echo(f"database: {manifest.database_kind} (schema {manifest.schema_revision}), "
               f"uploaded files: {len(manifest.files)}, size: {_size(result.path)}")
    for old in result.removed:
        click.echo(f"removed older backup {old}")
    click.echo(str(result.path))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(archive: Path, yes: bool):
    """Put a backup back: the database and the uploaded files are replaced by the archive's."""
    try:
        with backups.staged_restore(archive) as staged:
            manifest = staged.manifest
            click.echo(f"{archive}: checked, all {len(manifest.entries())} checksums match")
            click.echo(f"backup of {manifest.created_at}: {manifest.database_kind} database "
                       f"(schema {manifest.schema_revision}), {len(manifest.files)} uploaded files")
            if not yes:
                click.confirm("Replace this portal's database and uploaded files with this "
                              "backup? Everything since the backup will be lost", abort=True)
            backups.apply_restore(staged)
    except BackupError as error:
        raise click.ClickException(f"restore refused: {error}") from error
    click.echo("restored the database and the uploaded files")
    if not backups.schema_is_current(manifest):
        click.echo("the backup's schema is older than this version of the portal: "
                   "run `flask --app portal db upgrade` now")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
