"""The backup archive: a gzip'd tar whose first member, manifest.json, lists every other member
with its size and SHA-256. Nothing is restored from an archive that does not match its manifest.

    manifest.json            {"format": 1, "created_at", "database": {"kind", "schema_revision",
                               "path", "size", "sha256"}, "files": [{"path", "size", "sha256"}]}
    database/portal.sqlite3  (or database/portal.pgdump, pg_dump's custom format)
    uploads/...              the instance folder's uploaded files
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST_NAME = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
DAMAGE = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError, KeyError,
          TypeError)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    database_kind: str
    schema_revision: str | None
    database: Entry
    files: tuple[Entry, ...] = field(default=())

    def entries(self) -> tuple[Entry, ...]:
        return (self.database, *self.files)

    def to_json(self) -> bytes:
        database = {"kind": self.database_kind, "schema_revision": self.schema_revision,
                    **asdict(self.database)}
        return json.dumps({"format": FORMAT, "created_at": self.created_at, "database": database,
                           "files": [asdict(entry) for entry in self.files]},
                          ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {data.get('format')!r}")
        database = data["database"]
        return cls(
            created_at=str(data["created_at"]),
            database_kind=str(database["kind"]),
            schema_revision=database.get("schema_revision"),
            database=_entry(database, "database/"),
            files=tuple(_entry(item, "uploads/") for item in data["files"]),
        )


def _entry(item: dict, folder: str) -> Entry:
    path = str(item["path"])
    parts = PurePosixPath(path).parts
    if not path.startswith(folder) or ".." in parts or path.startswith("/") or len(parts) < 2:
        raise BackupError(f"the manifest names an unsafe path: {path!r}")
    return Entry(path=path, size=int(item["size"]), sha256=str(item["sha256"]))


def digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file."""
    hasher, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return size, hasher.hexdigest()


def write(target: Path, manifest: Manifest, sources: dict[str, Path]) -> None:
    """Write the archive (mode 0600: it holds personal data) and flush it to disk."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST_NAME, manifest.to_json())
            for entry in manifest.entries():
                _add_file(tar, entry, sources[entry.path])
        raw.flush()
        os.fsync(raw.fileno())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, entry: Entry, source: Path) -> None:
    info = tarfile.TarInfo(entry.path)
    info.size, info.mode = entry.size, 0o600
    info.mtime = int(source.stat().st_mtime)
    with source.open("rb") as handle:
        tar.addfile(info, handle)


def read_manifest(archive: Path) -> Manifest:
    """Only the manifest (the first member): quick, for describing an archive before restoring."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return _manifest_from(tar)
    except BackupError:
        raise
    except DAMAGE as error:
        raise damaged(error) from error


def _manifest_from(tar: tarfile.TarFile) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST_NAME or not first.isfile():
        raise BackupError("this is not a Madoguchi backup: manifest.json is missing")
    return Manifest.from_json(tar.extractfile(first).read())


def check(archive: Path, into: Path | None = None) -> Manifest:
    """Read every member, compare it with the manifest, and extract it under `into` if given.

    Raises BackupError on anything unexpected: a damaged or truncated archive, a checksum or size
    that does not match, a member the manifest does not list, or one it lists that is missing.
    """
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _manifest_from(tar)
            expected = {entry.path: entry for entry in manifest.entries()}
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST_NAME:
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile() or member.name in seen:
                    raise BackupError(f"unexpected member {member.name!r} in the archive")
                _check_member(tar, member, entry, into)
                seen.add(member.name)
    except BackupError:
        raise
    except DAMAGE as error:
        raise damaged(error) from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the archive is incomplete: {', '.join(missing[:5])} missing")
    return manifest


def _check_member(tar: tarfile.TarFile, member: tarfile.TarInfo, entry: Entry,
                  into: Path | None) -> None:
    hasher, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    target = None
    if into is not None:
        path = into.joinpath(*PurePosixPath(entry.path).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        target = path.open("wb")
    try:
        while chunk := source.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
            if target is not None:
                target.write(chunk)
    finally:
        if target is not None:
            target.close()
    if size != entry.size or hasher.hexdigest() != entry.sha256:
        raise BackupError(f"checksum mismatch for {entry.path}: the archive is damaged")


def damaged(error: BaseException) -> BackupError:
    return BackupError(f"the archive is damaged or incomplete ({type(error).__name__}: {error})")
