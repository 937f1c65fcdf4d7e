"""Attachments: stored in the instance folder under random names, always served as downloads."""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, send_file
from werkzeug.datastructures import FileStorage

from portal.core.i18n import _l
from portal.db import db
from portal.tickets.interfaces import TicketError
from portal.tickets.models import Attachment, Ticket


def upload_folder() -> Path:
    folder = Path(current_app.config["INSTANCE_PATH"]) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_filename(name: str) -> str:
    """Keep Japanese names readable; drop paths and control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "attachment"


@dataclass(frozen=True)
class StoredFile:
    filename: str  # as the user named it, cleaned
    stored_name: str  # the random name in the uploads folder
    size: int


def store(upload: FileStorage, field: str = "attachment") -> StoredFile:
    """Store one uploaded file under a random name; refuse it when larger than the configured
    limit. The one way any feature keeps an uploaded file (requests, knowledge-base articles)."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    stored_name = secrets.token_hex(16)
    path = upload_folder() / stored_name
    upload.save(path)
    size = path.stat().st_size
    if size > limit:
        path.unlink()
        raise TicketError(_l("The file is larger than %(mb)s MB.", mb=current_app.config[
            "MAX_UPLOAD_MB"]), field)
    return StoredFile(clean_filename(upload.filename), stored_name, size)


def save(ticket: Ticket, upload: FileStorage, uploader, message_id: int | None = None,
         internal: bool = False) -> Attachment:
    """Store one uploaded file of a request."""
    stored = store(upload)
    attachment = Attachment(ticket_id=ticket.id, message_id=message_id, uploaded_by_id=uploader.id,
                            filename=stored.filename, stored_name=stored.stored_name,
                            size=stored.size, internal=internal)
    db.session.add(attachment)
    return attachment


def save_all(ticket: Ticket, uploads: list[FileStorage], uploader, message_id=None,
             internal: bool = False) -> list[Attachment]:
    return [save(ticket, upload, uploader, message_id, internal) for upload in uploads
            if upload and upload.filename]


def _size(upload: FileStorage) -> int:
    """The uploaded file's size in bytes, read from its (spooled) stream without keeping it."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


def check_sizes(uploads: list[FileStorage]) -> None:
    """Refuse, before anything is filed or stored, files over the limit, naming them (the form
    then comes back as typed; the browser checks the same limit before uploading)."""
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    too_large = [clean_filename(upload.filename) for upload in uploads
                 if upload and upload.filename and _size(upload) > limit_mb * 1024 * 1024]
    if too_large:
        raise TicketError(_l("%(names)s: larger than %(mb)s MB. Choose a smaller file (or "
                             "compress it); everything else you typed is kept.",
                             names=", ".join(too_large), mb=limit_mb), "attachments")


def limit_attributes(field) -> None:
    """The file field carries the limit and its message, for the browser's check (portal.js)."""
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    field.render_kw = {"data-max-bytes": str(int(limit_mb * 1024 * 1024)),
                       "data-too-large": str(_l(
                           "%(names)s: larger than %(mb)s MB. Choose a smaller file (or "
                           "compress it); everything else you typed is kept.",
                           names="%(names)s", mb=limit_mb))}


# What a preview may be, recognised by the file's first bytes (never by its name or a claimed
# type): raster images a browser draws without running anything. SVG is not one of them.
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def looks_like_image(filename: str) -> bool:
    """Whether the page offers a preview (the name says image; the preview checks the bytes)."""
    return filename.lower().endswith(IMAGE_SUFFIXES)


def image_type(head: bytes) -> str | None:
    """The image type of a file from its first 12 bytes, or None when it is no image."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in IMAGE_SIGNATURES if head.startswith(signature)), None)


def preview(attachment):
    """An image attachment shown inline (the thumbnail on the request page), under the same
    headers as a download: no sniffing, sandboxed. Anything that is not a raster image is a 404,
    never rendered."""
    path = upload_folder() / attachment.stored_name
    try:
        with path.open("rb") as file:
            kind = image_type(file.read(12))
    except OSError:  # a file lost from the folder: no preview (the alt text stays)
        kind = None
    if kind is None:
        abort(404)
    response = send_file(path, mimetype=kind, as_attachment=False,
                         download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download(attachment):
    """`attachment`: anything with `stored_name` and `filename` (a request's, an article's)."""
    # always a download, never rendered inline, whatever the file claims to be (SVG, HTML…)
    response = send_file(upload_folder() / attachment.stored_name, as_attachment=True,
                         download_name=attachment.filename, mimetype="application/octet-stream",
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
