"""Work a worker would otherwise do on its first requests, done once in gunicorn's master.

With `preload_app` every worker is forked from the master and starts with what the master
holds. Recycled workers (max_requests) start often under load, and each one used to spend its
first requests importing the modules that views import lazily, compiling the Jinja templates
and reading the message catalogues: about 250–300 ms on the first four requests a new worker
served (docs/performance.md, fourth round). Done here once, before the first fork, a new worker
inherits all of it.

Nothing here touches the database: the master never holds a connection a worker could inherit.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time

from flask import Flask

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> dict[str, int]:
    """Import every portal module, compile every template, load every catalogue; returns counts."""
    if "babel" not in app.extensions:
        return {}  # another app served with the same settings (bench's bare "hello")
    started = time.perf_counter()
    modules = _import_all(app) + _import_libraries()
    models = _build_api_models()
    templates = _compile_templates(app)
    catalogues = _load_catalogues(app)
    years = _prepare_domain()
    log.info("warmed up: %d modules, %d API models, %d templates, %d catalogues, %d holiday "
             "years in %.0f ms", modules, models, templates, catalogues, years,
             (time.perf_counter() - started) * 1000)
    return {"modules": modules, "api_models": models, "templates": templates,
            "catalogues": catalogues, "holiday_years": years}


# Libraries the portal imports where they are used, not when its modules load, so that a
# command's start does not pay for them (docs/performance.md, "mail receive start-up, second
# round"); a web worker gets them from here. WeasyPrint stays out: it waits for the first PDF.
LAZY_LIBRARIES = (
    "webauthn", "webauthn.helpers", "webauthn.helpers.exceptions", "webauthn.helpers.structs",
    "authlib.common.security", "authlib.integrations.requests_client", "requests",
    "joserfc.jwt", "joserfc.errors", "joserfc.jwk", "segno", "markdown_it", "nh3",
    "email_validator", "alembic.script",
)


def _import_libraries() -> int:
    for name in LAZY_LIBRARIES:
        importlib.import_module(name)
    return len(LAZY_LIBRARIES)


def _build_api_models() -> int:
    """The API's Pydantic models are built on first use (`defer_build`, portal/web/
    api_schemas.py): here, every one of them, so no worker builds one while answering."""
    from pydantic import BaseModel

    built, waiting = 0, list(BaseModel.__subclasses__())
    while waiting:
        model = waiting.pop()
        waiting.extend(model.__subclasses__())
        if model.__module__.startswith("portal.") and not model.__pydantic_complete__:
            model.model_rebuild()
            built += 1
    return built


def _import_all(app: Flask) -> int:
    package = sys.modules[app.import_name]  # the application package, already imported
    names = [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    for name in names:
        importlib.import_module(name)
    return len(names)


def _compile_templates(app: Flask) -> int:
    environment = app.jinja_env
    names = environment.list_templates(extensions=("html", "txt"))
    for name in names:
        environment.get_template(name)  # kept in the environment's cache, compiled
    return len(names)


def _prepare_domain() -> int:
    """The ORM's mappers configured, and the national holidays of last, this and next year
    (read once per year: portal/core/japanese_holidays.py, or the `holidays` library beyond)."""
    from datetime import date

    from sqlalchemy.orm import configure_mappers

    from portal.core.calendar import japanese_holidays

    configure_mappers()
    this_year = date.today().year
    years = (this_year - 1, this_year, this_year + 1)
    for year in years:
        japanese_holidays(year)
    return len(years)


def _load_catalogues(app: Flask) -> int:
    """The portal's message catalogues and Babel's locale data (dates, numbers) per language."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from babel import dates, numbers
    from flask_babel import force_locale, get_translations

    languages = app.config["LANGUAGES"]
    instant = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    with app.test_request_context("/"):
        for language in languages:
            with force_locale(language):
                get_translations()
            dates.format_datetime(instant, locale=language)
            numbers.format_decimal(1234, locale=language)
    return len(languages)
