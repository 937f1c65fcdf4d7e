"""Logging: one JSON object per line on standard error, each carrying the request id.

Operators grep and ship these lines (journald, a log collector); a user who quotes the reference
shown on an error page leads straight to the lines of that request.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context

_MARK = "_portal_handler"


def request_id_of(record: logging.LogRecord) -> str | None:
    """The request a record was made in: given explicitly (extra=) or noted at creation."""
    return getattr(record, "request_id", None) or getattr(record, "current_request_id", None)


def _install_record_factory() -> None:
    """Note the current request's id on every record, whichever handler later sees it.

    A separate attribute name keeps `extra={"request_id": ...}` working in callers.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, _MARK, False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.current_request_id = g.get("request_id") if has_request_context() else None
        return record

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id and the traceback, as one JSON line.

    A message that is itself a JSON object (the per-request line of portal.request) is merged
    into the line, so its fields are searchable instead of being a quoted string.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)  # given as a dict: no text to parse back
        if not isinstance(fields, dict):
            message = record.getMessage()
            fields = _json_object(message)
            if fields is None:
                line["message"] = message
        if fields is not None:
            line.update(fields)
        if request_id_of(record):
            line["request_id"] = request_id_of(record)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class JsonMessage:
    """A log message made of fields: `log.info("%s", JsonMessage(f), extra={"fields": f})`.
    The JSON formatter merges the fields into its line as they are; any other handler gets them
    as one JSON text, serialised only if that handler asks for the message."""

    def __init__(self, fields: dict):
        self.fields = fields

    def __str__(self) -> str:
        return json.dumps(self.fields, ensure_ascii=False, default=str)


def _json_object(message: str) -> dict | None:
    if not message.startswith("{"):
        return None
    try:
        value = json.loads(message)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is now (test runners and daemons swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ assigns it; we always follow sys.stderr
        pass


def configure_logging(level: str = "INFO") -> None:
    """Install the JSON handler on the root logger once; calling again only changes the level."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
    handler = StderrHandler()
    setattr(handler, _MARK, True)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    number = logging.getLevelName(level)
    root.setLevel(number if isinstance(number, int) else logging.INFO)
    for chatty in ("alembic.runtime.plugins", "weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)  # start-up and per-PDF chatter
    _install_record_factory()
