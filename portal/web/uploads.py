"""How large a body the forms with attachments may send.

Every other page keeps Flask's MAX_CONTENT_LENGTH (one file's limit + 1 MB). The new-request
form and the reply form read a body up to MAX_FORM_MB (files spooled to disk, never held in
memory), so that a file over the per-file limit is refused with the form shown again as typed
instead of a bare 413 that loses it (tickets/attachments.py checks each file). Registered before
the CSRF check, which is the first to read the body.
"""
from __future__ import annotations

from flask import Flask, current_app, request

FORMS_WITH_FILES = frozenset({"tickets.new", "tickets.reply"})


def allow_form_uploads() -> None:
    if request.endpoint in FORMS_WITH_FILES and request.method == "POST":
        request.max_content_length = current_app.config["MAX_FORM_MB"] * 1024 * 1024


def init_app(app: Flask) -> None:
    app.before_request(allow_form_uploads)
