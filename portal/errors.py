"""Error answers: JSON under /api/, calm pages in the user's language elsewhere.

An unreachable database answers 503 (never a traceback, never a 500), without touching the
database again; a failed POST shows what was typed so nothing is silently lost
(portal/ops/failure.py). Every error page and JSON error carries the request id, and every
logged error the same id, so a quoted reference leads to the log lines.
"""
from __future__ import annotations

import logging
import math
from html import escape

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.core.errors import DomainError
from portal.core.i18n import _, ngettext
from portal.db import db
from portal.extensions import limiter
from portal.ops import failure

log = logging.getLogger("portal.errors")
RETRY_AFTER_SECONDS = 30
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


def error_answer(status: int, message: str | None = None, keep: bool = False,
                 retry: bool = False):
    """The error as JSON (API) or as a page; `keep` shows a failed POST's fields again."""
    message = message or _messages().get(status, _messages()[500])
    if is_api_request():
        response, _status = api_error(status, message, request_id=g.get("request_id", ""))
    else:
        context = failure.keeping_context(allow_retry=retry) if keep else {}
        response = _page(status, message, context)
    response.status_code = status
    if status == ServiceUnavailable.code:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page(status: int, message: str, context: dict):
    """errors/<status>.html, else the generic page; never fails, even with the database down."""
    variables = {"status": status, "message": message, "request_id": g.get("request_id", ""),
                 **context}
    for attempt in range(2):
        try:
            return make_response(render_template([f"errors/{status}.html", "errors/error.html"],
                                                 **variables))
        except Exception as error:
            if attempt == 0 and failure.database_unavailable(error):
                failure.forget_user()  # base.html reached for the user; show it anonymously
                _rollback()
                continue
            log.exception("error page %s could not be rendered", status)
            break
    return _last_resort_page(status)


def _last_resort_page(status: int):
    """A plain bilingual page needing no template, no user and no database."""
    reference = escape(g.get("request_id", ""))
    body = (f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>{status}</title>'
            f"<h1>ただいまご利用いただけません / The portal is temporarily unavailable</h1>"
            f"<p>しばらくしてからもう一度お試しください。 Please try again in a few minutes.</p>"
            f"<p>{status} · {reference}</p></html>")
    return make_response(body, status)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection may already be gone; the session is reset either way
        log.warning("rollback after a database failure did not complete", exc_info=True)


def database_down(error: BaseException):
    """503: the database does not answer. Nothing more is asked of it in this request."""
    log.error("database unavailable: %s", failure.describe(error))
    failure.forget_user()
    _rollback()
    return error_answer(ServiceUnavailable.code, keep=True, retry=True)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        original = getattr(error, "original_exception", None)
        if failure.database_unavailable(original):  # e.g. the commit after the view failed
            return database_down(original)
        status = error.code or 500  # an unhandled 500 here was already logged by Flask
        told = error.description if is_api_request() and \
            error.description != type(error).description else None  # abort(404, "No such …")
        wait = limiter.seconds_to_wait() if status == 429 else None
        if wait is not None:
            told = ngettext("Too many attempts. Please wait %(num)d minute and try again.",
                            "Too many attempts. Please wait %(num)d minutes and try again.",
                            math.ceil(wait / 60))
        response = error_answer(status, told, keep=status >= 500, retry=status >= 500)
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
        for name, value in error.get_headers():  # e.g. Allow on a 405, as HTTP requires
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        """Every domain error a feature raises, as the API's JSON error or as a page."""
        if is_api_request():
            fields = {key: str(value) for key, value in error.fields.items()}
            return api_error(error.status, str(error.message), error.code, fields or None,
                             **error.details())
        _rollback()
        return error_answer(error.status, str(error.message))

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        log.info("form refused: %s", error.description)
        return error_answer(400, _("Your form expired. Please reload the page and submit it again."),
                       keep=True, retry=False)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if failure.database_unavailable(error):
            return database_down(error)
        log.exception("unhandled error")
        _rollback()
        return error_answer(InternalServerError.code, keep=True, retry=True)
