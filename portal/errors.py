"""Error answers: JSON under /api/, calm pages in the user's language elsewhere."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.core.i18n import _
from portal.db import db

log = logging.getLogger("portal.errors")
API_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    422: "validation_failed", 429: "too_many_requests", 500: "internal_error",
    503: "unavailable",
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str, code: str | None = None, fields: dict | None = None,
              **extra):
    body = {"code": code or API_CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return jsonify({"error": body}), status


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        401: _("Please sign in."),
        403: _("You do not have permission to see this page."),
        404: _("The page you are looking for does not exist."),
        405: _("This action is not available here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. Please try again."),
        503: _("The portal is temporarily unavailable. Please try again in a few minutes."),
    }


def _answer(status: int, message: str | None = None):
    message = message or _messages().get(status, _messages()[500])
    if is_api_request():
        return api_error(status, message)
    template = "errors/error.html"
    return render_template(template, status=status, message=message,
                           request_id=g.get("request_id", "")), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        return _answer(status)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        log.info("form refused: %s", error.description)
        return _answer(400, _("Your form expired. Please reload the page and submit it again."))

    @app.errorhandler(OperationalError)
    def _database_down(error: OperationalError):
        log.error("database unavailable: %s", error, extra={"request_id": g.get("request_id")})
        db.session.rollback()
        return _answer(ServiceUnavailable.code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error (request %s)", g.get("request_id"))
        db.session.rollback()
        return _answer(InternalServerError.code)
