"""Backups of the portal (the database and the uploaded files) and their restore.

The provider promises its customers daily backups kept for two generations (terms [7]5); the
portal keeps the same promise about itself. `create_backup` writes one archive
(portal/ops/archive.py) into the backup folder, reads it back to check it, and only then removes
the generations beyond `BACKUP_KEEP` (2). `staged_restore` extracts and verifies an archive beside
the instance without touching anything; `apply_restore` then puts the database and the files back.

The database is dumped first and the files second: uploads are written once under new names and
never changed in place, so every file the dumped database refers to is in the archive.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app

from portal.core import clock
from portal.db import db
from portal.ops import archive, databases
from portal.ops.archive import BackupError, Entry, Manifest

PREFIX = "madoguchi-backup-"
SUFFIX = ".tar.gz"
__all__ = ["BackupError", "BackupResult", "create_backup", "staged_restore", "apply_restore",
           "backups", "uploads_dir", "backup_dir"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    removed: tuple[Path, ...]


@dataclass(frozen=True)
class Staged:
    manifest: Manifest
    root: Path


def instance_dir() -> Path:
    return Path(current_app.config["INSTANCE_PATH"])


def uploads_dir() -> Path:
    """The instance folder's uploads/ (attachments and other uploaded files)."""
    return instance_dir() / "uploads"


def backup_dir() -> Path:
    return Path(current_app.config["BACKUP_DIR"])


def backups(folder: Path | None = None) -> list[Path]:
    """This portal's archives in the folder, oldest first (the names sort by time)."""
    folder = folder or backup_dir()
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def create_backup() -> BackupResult:
    """Write a new archive, check it, then keep only the newest BACKUP_KEEP archives."""
    folder = backup_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    uploads_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        manifest, sources = _snapshot(Path(work))
        target = _new_name(folder)
        partial = folder / f".{target.name}.partial"
        try:
            archive.write(partial, manifest, sources)
            archive.check(partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    removed = _prune(folder, current_app.config["BACKUP_KEEP"])
    return BackupResult(target, manifest, removed)


def _snapshot(work: Path) -> tuple[Manifest, dict[str, Path]]:
    """Dump the database, then list and hash the uploaded files."""
    engine = db.engine
    kind = databases.kind_of(engine)
    dump_file, revision = databases.dump(engine, work)
    sources = {databases.archive_name(kind): dump_file}
    sources.update(_uploaded_files())
    entries = {name: Entry(name, *archive.digest(path)) for name, path in sources.items()}
    database = entries.pop(databases.archive_name(kind))
    manifest = Manifest(created_at=clock.now().isoformat(timespec="seconds"), database_kind=kind,
                        schema_revision=revision, database=database,
                        files=tuple(entries[name] for name in sorted(entries)))
    return manifest, sources


def _uploaded_files() -> dict[str, Path]:
    """Every regular file under uploads/, except hidden ones (files still being written)."""
    root = uploads_dir()
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and not any(
                part.startswith(".") for part in relative.parts):
            found["uploads/" + relative.as_posix()] = path
    return found


def _new_name(folder: Path) -> Path:
    """madoguchi-backup-20260124T031500.123Z.tar.gz (UTC); never an existing name."""
    instant = clock.now()
    while True:
        stamp = f"{instant:%Y%m%dT%H%M%S}.{instant.microsecond // 1000:03d}Z"
        target = folder / f"{PREFIX}{stamp}{SUFFIX}"
        if not target.exists():
            return target
        instant += timedelta(milliseconds=1)


def _prune(folder: Path, keep: int) -> tuple[Path, ...]:
    old = backups(folder)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return tuple(old)


@contextmanager
def staged_restore(archive_path: Path) -> Iterator[Staged]:
    """Extract and verify the whole archive beside the instance; change nothing yet."""
    instance_dir().mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance_dir()))
    try:
        manifest = archive.check(archive_path, into=root)
        kind = databases.kind_of(db.engine)
        if manifest.database_kind != kind:
            raise BackupError(f"this backup holds a {manifest.database_kind} database but the "
                              f"portal is configured for {kind}; nothing was changed")
        yield Staged(manifest, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def apply_restore(staged: Staged) -> None:
    """Put the staged database back, then the uploaded files (the database first: if it
    fails, nothing at all has changed)."""
    db.session.remove()
    databases.restore(db.engine, staged.root / staged.manifest.database.path, staged.root)
    _replace_uploads(staged.root / "uploads")


def _replace_uploads(new: Path) -> None:
    """Swap the uploads folder for the restored one by renames on the same file system."""
    target = uploads_dir()
    real = target.resolve() if target.exists() else target
    new.mkdir(exist_ok=True)
    if real.exists() and os.path.ismount(real):  # a mounted share: replace its contents
        for child in real.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in new.iterdir():
            shutil.move(str(child), real / child.name)
        return
    token = secrets.token_hex(4)
    incoming = real.parent / f".uploads-restoring-{token}"
    shutil.move(str(new), incoming)
    old = real.parent / f".uploads-replaced-{token}"
    if real.exists():
        real.rename(old)
    incoming.rename(real)
    shutil.rmtree(old, ignore_errors=True)


def schema_is_current(manifest: Manifest) -> bool:
    from portal.ops.health import migration_heads

    return set((manifest.schema_revision or "").split(",")) == set(migration_heads())
