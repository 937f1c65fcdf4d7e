"""Madoguchi (窓口): the application factory."""
from __future__ import annotations

import gc
import sys

from flask import Flask

from portal import config as settings
from portal.ops.logs import configure_logging

OLDEST_PYTHON = (3, 12)
_FROZEN: list[bool] = []  # whether this process froze its start-up objects (create_app)


def check_interpreter(version: tuple = tuple(sys.version_info)) -> None:
    """Refuse to run on CPython before 3.12: 3.11.7 frees memory still in use in instance
    dictionaries and crashed threaded workers (issue 15, docs/performance.md "Worker crashes")."""
    if tuple(version[:2]) < OLDEST_PYTHON:
        raise RuntimeError(
            f"Madoguchi needs Python {OLDEST_PYTHON[0]}.{OLDEST_PYTHON[1]} or newer, not "
            f"{'.'.join(map(str, version[:3]))}: CPython 3.11 crashes threaded workers "
            "(docs/performance.md, \"Worker crashes\"); run scripts/setup.sh.")


def create_app(config: dict | None = None, *, pages: bool = True) -> Flask:
    """Build the portal: settings, extensions, blueprints, error pages, CLI.

    `pages=False` builds it without its pages and API (the blueprints: a quarter of the start-up,
    docs/decisions/mail.md), for commands that serve none: `flask … mail receive`, which a mail
    server starts once per message, runs in it (portal/commands.py). Everything else
    is the same: settings, database, translations, the templates' filters, the jobs, and what
    features register for one another (the receipt's suggested articles)."""
    # What start-up builds (modules, classes, mappers, templates' environment) lives as long as
    # the process: the cycle collector scanning it again and again, during the imports and at
    # exit, was a third of a `mail receive` (docs/performance.md). So no collection while the
    # app is built, and what it built is moved out of the collector's sight (gc.freeze: the
    # permanent generation, as Python's documentation advises for pre-fork servers). Once per
    # process: a second app (tests make a few) would also freeze the first one's garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(config, pages=pages)
    finally:
        if collecting:
            gc.enable()
        if not _FROZEN:
            gc.freeze()
            _FROZEN.append(True)


def _build(config: dict | None, *, pages: bool) -> Flask:
    check_interpreter()
    from portal.web.application import PortalFlask

    app = PortalFlask(
        __name__,
        instance_path=str(settings.instance_path()),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URI"]
    from portal.web.routing import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: every <int:…> is an id
    configure_logging(app.config.get("LOG_LEVEL", "INFO"))
    from portal.web import uploads

    uploads.init_app(app)  # before the CSRF check reads the body
    _init_extensions(app)
    if pages:
        _register_pages(app)
    _connect_features(app)
    from portal import cli, errors, web

    errors.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    _register_jobs(app)
    return app


def _register_jobs(app: Flask) -> None:
    """The periodic work of `flask --app portal jobs work` (portal/ops/jobs.py)."""
    from datetime import timedelta

    from portal.billing import reminders as billing_reminders
    from portal.documents import reminders as documents_reminders
    from portal.mailin import expiry
    from portal.notifications.services import drain_outbox
    from portal.ops.jobs import register
    from portal.tickets import automation
    from portal.workshops import reminders as workshops_reminders

    register(app, "escalation", timedelta(minutes=1), automation.escalate)
    register(app, "waiting_reminder", timedelta(minutes=1), automation.remind_waiting)
    register(app, "auto_close", timedelta(minutes=1), automation.close_resolved)
    register(app, "mail_fee_lapse", timedelta(minutes=5), expiry.lapse_unconfirmed)
    register(app, "outbrief_reminder", timedelta(minutes=15), documents_reminders.remind_outbriefs)
    register(app, "contract_end_reminder", timedelta(minutes=15),
             billing_reminders.remind_contract_end)
    register(app, "booking_deadline_reminder", timedelta(minutes=15),
             workshops_reminders.remind_bookers)
    register(app, "overage_review", timedelta(minutes=15), billing_reminders.suggest_reviews)
    # last, and on every pass: a pass delivers the mail the jobs before it queued
    register(app, "outbox", timedelta(0), drain_outbox, lease=timedelta(minutes=2))


def _init_extensions(app: Flask) -> None:
    from sqlalchemy.orm import configure_mappers

    from portal import models  # noqa: F401  (every table known to Alembic)
    from portal.db import db, init_connection_handling, init_request_commit
    from portal.extensions import babel, csrf, limiter, login_manager
    from portal.web import locale_of_request, select_timezone

    configure_mappers()  # the first query would: here, while the collector is off (create_app)
    db.init_app(app)
    init_connection_handling(app)
    from portal.ops import migrations
    from portal.search import owned_by_search

    migrations.init_app(app, str(app.root_path + "/../migrations"), include_object=owned_by_search)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=locale_of_request, timezone_selector=select_timezone)
    login_manager.init_app(app)
    init_request_commit(app)
    from portal.web import fragments

    fragments.init_app(app)


def _register_pages(app: Flask) -> None:
    """The pages and the API: every blueprint, and the maintenance banner the page frame shows."""
    from portal.accounts.admin_views import bp as admin_bp
    from portal.accounts.factor_views import bp as second_factor_bp
    from portal.accounts.security_views import bp as factors_bp
    from portal.accounts.sso_views import bp as sso_bp
    from portal.accounts.views import bp as accounts_bp
    from portal.api import bp as api_bp
    from portal.backoffice.views import bp as backoffice_bp
    from portal.backoffice.views import public as maintenance_bp
    from portal.billing.views import bp as billing_bp
    from portal.dashboard import bp as dashboard_bp
    from portal.documents.staff_views import bp as outbriefs_bp
    from portal.documents.views import bp as documents_bp
    from portal.extensions import csrf
    from portal.knowledge import staff_views as _kb_staff_views  # noqa: F401  (the routes)
    from portal.knowledge import views as _kb_views  # noqa: F401
    from portal.knowledge.pages import bp as knowledge_bp
    from portal.knowledge.pages import staff_bp as knowledge_staff_bp
    from portal.mailin.views import bp as mail_review_bp
    from portal.mailin.views import confirm_bp as mail_confirm_bp
    from portal.ops.views import bp as ops_bp
    from portal.tickets import actions, views  # noqa: F401  (the routes: GET views, POST actions)
    from portal.tickets.pages import bp as tickets_bp
    from portal.workshops.staff_views import bp as workshops_staff_bp
    from portal.workshops.views import bp as workshops_bp

    app.register_blueprint(ops_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(second_factor_bp)
    app.register_blueprint(factors_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(tickets_bp)
    app.register_blueprint(mail_review_bp)
    app.register_blueprint(mail_confirm_bp)
    app.register_blueprint(billing_bp)
    app.register_blueprint(backoffice_bp)
    app.register_blueprint(maintenance_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(workshops_staff_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(outbriefs_bp)
    app.register_blueprint(knowledge_bp)
    app.register_blueprint(knowledge_staff_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    from portal.backoffice.maintenance import cached_banner

    app.extensions["banner_notices"] = cached_banner  # what the page frame shows customers


def _connect_features(app: Flask) -> None:
    """What a feature offers another that sits below it, with or without pages."""
    from portal.knowledge.receipt import for_receipt

    app.extensions["receipt_articles"] = for_receipt  # what a filing receipt suggests (any channel)
