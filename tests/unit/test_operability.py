"""Pure pieces of operability: which form fields are never echoed back, which archive paths are
refused, and the shape of a log line."""
from __future__ import annotations

import json
import logging

import pytest

from portal.ops.archive import BackupError, Manifest
from portal.ops.failure import is_secret
from portal.ops.logs import JsonFormatter


@pytest.mark.parametrize(("name", "secret"), [
    ("password", True), ("current_password", True), ("new-password", True), ("passphrase", True),
    ("csrf_token", True), ("api_token", True), ("client_secret", True), ("otp", True),
    ("card_number", True), ("email", False), ("subject", False), ("body", False),
    ("name", False), ("footprint", False), ("organization", False), ("acknowledge_fee", False),
], ids=lambda value: str(value))
def test_secret_fields_are_never_kept(name, secret):
    assert is_secret(name) is secret


def _manifest(database_path="database/portal.sqlite3", file_path="uploads/a.txt", fmt=1):
    return json.dumps({
        "format": fmt, "created_at": "2026-11-24T01:30:00+00:00",
        "database": {"kind": "sqlite", "schema_revision": "x", "path": database_path,
                     "size": 1, "sha256": "0" * 64},
        "files": [{"path": file_path, "size": 1, "sha256": "0" * 64}],
    }).encode()


def test_a_sound_manifest_is_read():
    manifest = Manifest.from_json(_manifest())
    assert [entry.path for entry in manifest.entries()] == ["database/portal.sqlite3",
                                                             "uploads/a.txt"]
    assert Manifest.from_json(manifest.to_json()) == manifest


@pytest.mark.parametrize("raw", [
    _manifest(file_path="uploads/../../etc/passwd"),
    _manifest(file_path="/etc/passwd"),
    _manifest(file_path="secret_key"),
    _manifest(database_path="uploads/portal.sqlite3"),
    _manifest(file_path="uploads/"),
    _manifest(fmt=99),
], ids=["parent-dirs", "absolute", "outside-uploads", "database-elsewhere", "folder-only",
        "unknown-format"])
def test_unsafe_or_unknown_manifests_are_refused(raw):
    with pytest.raises(BackupError):
        Manifest.from_json(raw)


def _record(message, **extra):
    record = logging.LogRecord("portal.request", logging.INFO, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_a_log_line_is_one_json_object_with_the_request_id():
    line = json.loads(JsonFormatter().format(_record("処理しました", current_request_id="ab12")))
    assert {"level": "INFO", "logger": "portal.request", "message": "処理しました",
            "request_id": "ab12"}.items() <= line.items()


def test_a_json_message_is_merged_into_the_line():
    message = json.dumps({"request_id": "ab12", "route": "/login", "status": 429})
    line = json.loads(JsonFormatter().format(_record(message)))
    assert (line["route"], line["status"], line["request_id"]) == ("/login", 429, "ab12")
    assert "message" not in line
