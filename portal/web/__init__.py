"""What every page shares: language and zone choice, the signed-in user, headers, filters."""
from __future__ import annotations

import logging
import re
import secrets
import time as timer
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.core.i18n import SHOWN_LANGUAGE
from portal.core.links import linkify
from portal.core.money import yen
from portal.core.months import DEFAULT_ZONE
from portal.db import db
from portal.extensions import login_manager
from portal.ops.logs import JsonMessage

request_log = logging.getLogger("portal.request")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def select_locale() -> str:
    """The header's switch for this session, else the user's saved choice, else the language
    chosen before signing in, else Accept-Language; Japanese by default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    state, cookie = g._get_current_object(), session._get_current_object()
    api_user = state.get("api_user")
    if api_user is None and cookie.get(SHOWN_LANGUAGE) in languages:
        return cookie[SHOWN_LANGUAGE]  # the header's switch: this session's pages only
    locale = getattr(api_user or _signed_in_user(), "locale", None)
    if locale in languages:
        return locale
    if (state.get("error_user") or {}).get("locale") in languages:  # database down: what we knew
        return state.error_user["locale"]
    if cookie.get("lang") in languages:
        return cookie["lang"]
    return request.accept_languages.best_match(languages) or "ja"


@cache
def parsed_locale(code: str) -> Locale:
    """Babel's Locale for a language code, parsed once per process (Flask-Babel would parse the
    selector's answer on every request; it takes a Locale as it is)."""
    return Locale.parse(code)


def locale_of_request() -> Locale:
    """Flask-Babel's locale selector: `select_locale`'s language, as a kept Locale."""
    return parsed_locale(select_locale())


def _signed_in_user():
    """The signed-in person, or None: one look at Flask-Login's `current_user` (each look at the
    proxy asks Flask-Login again)."""
    try:
        user = current_user._get_current_object()
    except Exception:  # outside a request or before login is set up
        return None
    return user if user.is_authenticated else None


def select_timezone() -> str:
    """The signed-in person's organisation's zone (Tokyo for staff and visitors), found once per
    request: the page asks for it several times (keys of kept fragments, dates, Flask-Babel)."""
    if not has_request_context():
        return DEFAULT_ZONE
    state = g._get_current_object()
    zone = state.get("viewer_zone")
    if zone is None:
        user = state.get("api_user") or _signed_in_user()
        organization = getattr(user, "organization", None)
        zone = organization.timezone if organization else DEFAULT_ZONE
        if user is not None:  # a visitor may still sign in during this request
            state.viewer_zone = zone
    return zone


@login_manager.user_loader
def load_user(user_id: str):
    """The signed-in user, if the session the cookie names still lives on the server (signed
    out, a new password, idle or too old: it does not, and the cookie opens nothing)."""
    from portal.accounts.security import hash_token
    from portal.accounts.sessions import SESSION_KEY_FIELD, still_alive

    key = session.get(SESSION_KEY_FIELD)
    if not key or not str(user_id).isdigit():
        return None
    row = db.session.execute(_user_query(), {"user_id": int(user_id),
                                             "key_hash": hash_token(str(key))}).first()
    if row is None or not row.User.active:
        return None
    return row.User if still_alive(row.session_id, row.created_at, row.last_seen_at) else None


@cache
def _user_query():
    """The signed-in user with the organisation, which every page's header and zone need, its
    requests' revision, which keys the kept request list, and the session of this cookie (by
    its unique key): one query, not four. Built once: SQLAlchemy then reuses its compiled form
    without rebuilding the statement and its cache key on every request (`session.get` with
    options does both each time). Only the columns every page reads are loaded (14 of 22: the
    driver describes each column of each result); a page that reads another one (the profile's
    e-mail settings, the people page's second-factor rule) loads it then, with one query."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import load_only

    from portal.accounts.models import Organization, User, UserSession

    EVERY_PAGE_USER = (User.id, User.email, User.name, User.role, User.organization_id,
                       User.locale, User.active)
    EVERY_PAGE_ORGANIZATION = (Organization.id, Organization.name, Organization.timezone,
                               Organization.requests_revision)

    return (select(User, UserSession.id.label("session_id"), UserSession.created_at,
                   UserSession.last_seen_at)
            .join(UserSession, UserSession.user_id == User.id)
            .options(load_only(*EVERY_PAGE_USER), joinedload(User.organization)
                     .load_only(*EVERY_PAGE_ORGANIZATION))
            .where(UserSession.key_hash == bindparam("key_hash"),
                   User.id == bindparam("user_id")))


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    from portal.web.session_cookie import KeptSessionInterface

    app.session_interface = KeptSessionInterface()
    from portal.core.i18n import _l

    login_manager.login_message = _l("Please sign in to see this page.")
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    # First of all, so that even a refused CSRF token or a failing extension has a request id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.before_request(_refuse_unstorable_query)
    app.after_request(_finish_response)
    app.jinja_env.filters.update(
        datetime=_format_instant, date=_format_day, yen=_format_yen, month=_format_month,
        linkify=linkify,
    )
    app.context_processor(_template_globals)


REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _start_request() -> None:
    """The proxy's X-Request-Id when it is a plain token (nginx: $request_id), else a new one."""
    given = request.environ.get("HTTP_X_REQUEST_ID", "")  # a missing header costs no exception
    state = g._get_current_object()
    state.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
    state.started = timer.perf_counter()


def _refuse_unstorable_query() -> None:
    """A page address whose query holds a NUL character names no page: a 404, as an unknown
    organisation's slug is (`/usage?organization=acme%00`). No one types one, and PostgreSQL
    refuses any statement that carries it, so it never reaches a view. (Form fields get a field
    error from the base form, portal/core/forms.py; the API's parameters are checked by its
    models, a 422 naming the parameter.)"""
    if not request.query_string or request.path.startswith("/api/"):
        return
    from portal.core.forms import has_nul

    if any(has_nul(key) or has_nul(value) for key, value in request.args.items(multi=True)):
        from flask import abort

        abort(404)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def _finish_response(response):
    """What every answer gets on its way out, in this order: the signed-in user's language kept
    in the session, the security headers, no-store for a signed-in person, the request's log
    line, and the mail it queued sent after the answer. One hook, with the request's objects
    looked up once, instead of five that each find them again (docs/performance.md)."""
    here, req, state = current_app._get_current_object(), request._get_current_object(), \
        g._get_current_object()
    cookie = session._get_current_object()
    user = _loaded_user(state, cookie)
    _remember_language(here, state, cookie, user)
    _security_headers(req, state, response.headers)
    if req.endpoint != "static" and cookie.get("_user_id") is not None:
        # what a signed-in person sees is theirs alone: no browser or proxy keeps a copy (the
        # back button after signing out, a shared computer); the API sets its own (api.py)
        response.headers["Cache-Control"] = "no-store"
    _log_request(req, state, user, response)
    if state.get("outbox_pending") and here.config["OUTBOX_INLINE"] and response.status_code < 400:
        from portal.notifications.services import drain_in_background

        response.call_on_close(lambda: drain_in_background(here))
    return response


def _security_headers(req, state, headers) -> None:
    """The security headers, unless the view set its own (one look at the headers it has)."""
    present = {name.lower() for name, _value in headers.items()}
    for name, value in (*SECURITY_HEADERS, HSTS) if req.is_secure else SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    headers["X-Request-Id"] = state.get("request_id", "")


def _loaded_user(state, cookie) -> dict:
    """Who made this request, from memory only: logging never queries the database."""
    user = state.get("api_user") or state.get("_login_user")
    known = {key: (getattr(user, "__dict__", None) or {}).get(key)
             for key in ("id", "organization_id", "locale")}
    if known["id"] is None and state.get("error_user"):
        known = state.error_user
    if known["id"] is None and str(cookie.get("_user_id", "")).isdigit():
        known["id"] = int(cookie["_user_id"])
    return known


def _remember_language(here, state, cookie, user: dict) -> None:
    """Keep a signed-in user's language in the session too, so that a page served while the
    database is down (and the user cannot be loaded) still speaks it."""
    locale = user.get("locale") if state.get("_login_user") is not None else None
    if locale in here.config["LANGUAGES"] and cookie.get("lang") != locale:
        cookie["lang"] = locale


def _log_request(req, state, user: dict, response) -> None:
    fields = {
        "request_id": state.get("request_id"),
        "user_id": user.get("id"),
        "organization_id": user.get("organization_id"),
        "method": req.method,
        "route": req.url_rule.rule if req.url_rule else req.path,
        "status": response.status_code,
        "duration_ms": round((timer.perf_counter() - state.get("started", timer.perf_counter()))
                             * 1000, 1),
    }
    if request_log.isEnabledFor(logging.INFO):  # the record as Logger.info makes it, without
        # looking up the calling line in the stack, which the JSON line does not show
        request_log.handle(request_log.makeRecord(
            request_log.name, logging.INFO, __file__, 0, "%s", (JsonMessage(fields),), None,
            extra={"fields": fields}))


def _viewer() -> tuple:
    """(Babel locale, zone, zone label) of this request, looked up once per request."""
    cached = g.get("viewer_format")
    if cached is None:
        from portal.core.i18n import current_language

        zone = select_timezone()
        cached = (parsed_locale(current_language()), ZoneInfo(zone),
                  "JST" if zone == DEFAULT_ZONE else f"({zone})")
        if has_request_context():
            g.viewer_format = cached
    return cached


def _format_instant(value: datetime | None, fmt: str = "medium") -> str:
    """An instant in the viewer's zone and language (Babel), with the zone shown."""
    if value is None:
        return "—"
    locale, zone, label = _viewer()
    pattern = "yyyy年M月d日 HH:mm" if locale.language == "ja" else "MMM d, yyyy, h:mm a"
    return f"{babel_dates.format_datetime(value, pattern, tzinfo=zone, locale=locale)} {label}"


def _format_day(value) -> str:
    if value is None:
        return "—"
    locale = _viewer()[0]
    pattern = "yyyy年M月d日" if locale.language == "ja" else "MMM d, yyyy"
    return babel_dates.format_date(value, pattern, locale=locale)


# A month ("YYYY-MM") as people read it (issue 18: not `2026-09`): whole, on a chart's axis,
# and the year written under the axis where the months cross into another year.
_MONTH_PATTERNS = {
    "ja": {"long": "yyyy年M月", "short": "M月", "year": "yyyy年"},
    "en": {"long": "MMMM yyyy", "short": "MMM", "year": "yyyy"},
}


def _format_month(value: str | None, form: str = "long") -> str:
    """`2026-09` as 2026年9月 / September 2026 (`short`: 9月 / Sep; `year`: 2026年 / 2026),
    through Babel in the viewer's language; anything that is not a month is shown as it is."""
    from datetime import date

    from portal.core.months import is_month, parse_month

    if not is_month(value):
        return "—" if value is None else str(value)
    locale = _viewer()[0]
    patterns = _MONTH_PATTERNS["ja" if locale.language == "ja" else "en"]
    return babel_dates.format_date(date(*parse_month(value), 1), patterns[form], locale=locale)


def _format_yen(amount: int) -> str:
    return yen(amount, "ja_JP" if _is_ja() else "en_US")


def _is_ja() -> bool:
    from portal.core.i18n import current_language

    return current_language() == "ja"


def _template_globals() -> dict:
    from portal.core.i18n import current_language
    return {"lang": current_language(), "provider_name": current_app.config["PROVIDER_NAME"],
            "main_nav": _main_nav, "page_header": _page_header, "page_banner": _page_banner,
            "page_links": _page_links, **_request_gettext()}


# The page frame is kept in each worker's memory in pieces (docs/performance.md, third round):
# the header per language and person, with these two markers where each request's own CSRF token
# and the address to come back to after switching the language go; the maintenance banner per
# notices shown, language and zone; the style sheet and script links per address root.
_CSRF_MARK = "\ue000csrf\ue000"
_BACK_MARK = "\ue000back\ue000"


def _page_header() -> Markup:
    from flask import render_template

    from portal.core.i18n import current_language
    from portal.web.fragments import fragments

    key = ("header", current_language(),
           _person() if current_user.is_authenticated else None, request.script_root)
    kept = fragments().get_or_make(key, lambda: render_template(
        "_header.html", csrf_token=lambda: _CSRF_MARK, back_to=_BACK_MARK))
    if g.get("rendering_shell"):
        return Markup(kept)  # render_kept_page fills the markers in
    return Markup(_fill_in(kept))


def _person(user=None) -> tuple:
    """What the header shows of the signed-in person: their name and their organisation's."""
    user = user or current_user._get_current_object()
    organization = user.organization
    return user.name, organization.name if organization else None


def _fill_in(html: str, token: str | None = None, back_to: str | None = None) -> str:
    """This request's CSRF token and address to come back to, where the markers stand."""
    if back_to is None:
        back_to = _back_to()
    return html.replace(_CSRF_MARK, token or csrf_token()).replace(_BACK_MARK, escape(back_to))


def _back_to() -> str:
    """Where the header's language switch comes back to: this page, or home after a form."""
    from flask import url_for

    return request.full_path if request.method == "GET" else url_for("dashboard.home")


_SIGNED_CSRF: dict[tuple, str] = {}


def csrf_token() -> str:
    """Flask-WTF's generate_csrf(), signed once per session token and process instead of on
    every page. The forms check the signature and the session's token, not the time it was
    signed (WTF_CSRF_TIME_LIMIT is None), so a signature made earlier is exactly as valid;
    with a time limit every page signs anew, as Flask-WTF does."""
    from flask_wtf.csrf import generate_csrf

    here, state = current_app._get_current_object(), g._get_current_object()
    config = here.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if raw is None or field in state or config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    key = (here.secret_key, config.get("WTF_CSRF_SECRET_KEY"), raw)
    token = _SIGNED_CSRF.get(key)
    if token is None:
        token = generate_csrf()
        if len(_SIGNED_CSRF) >= 4096:
            _SIGNED_CSRF.clear()
        _SIGNED_CSRF[key] = token
    setattr(state, field, token)  # the page's forms (generate_csrf) show the same token
    return token


_CONTENT_MARK = "\ue000content\ue000"


def render_kept_page(template: str, content: Markup) -> str:
    """A page of `template` (which extends base.html and shows `content` as its whole body, e.g.
    a kept fragment) with its frame kept too: base.html rendered once per template, language,
    zone, person, roles, page and maintenance notices shown, then only the CSRF token and the
    address to come back to filled in. The frame of a signed-in customer's request list is a
    fifth of the view's time otherwise (docs/performance.md, third round). A page with a flashed
    message, or for someone not signed in, is rendered whole."""
    from flask import render_template

    from portal.core.i18n import current_language
    from portal.web.fragments import fragments

    user, req = current_user._get_current_object(), request._get_current_object()
    if not user.is_authenticated or session.get("_flashes") or req.method != "GET":
        return render_template(template, content=content)
    key = ("page", template, current_language(), select_timezone(), _person(user),
           (user.is_staff, user.is_staff_admin, user.is_customer_admin), req.endpoint,
           req.blueprint, req.script_root, _banner_notices(user))

    def shell() -> tuple[str, str]:
        g.rendering_shell = True
        try:
            html = render_template(template, content=Markup(_CONTENT_MARK))
        finally:
            g.rendering_shell = False
        head, _mark, tail = html.partition(_CONTENT_MARK)
        return head, tail

    head, tail = fragments().get_or_make(key, shell)
    token, back_to = csrf_token(), req.full_path  # a GET: the page comes back to itself
    return Markup(_fill_in(head, token, back_to)) + content + Markup(_fill_in(tail, token, back_to))


def _banner_notices(user=None) -> tuple:
    """The maintenance notices the banner shows this person: signed-in customers only."""
    user = user or current_user._get_current_object()
    if not user.is_authenticated or user.is_staff:
        return ()
    source = current_app.extensions.get("banner_notices")  # set by create_app (backoffice)
    return source() if source else ()


def _page_banner() -> Markup:
    from flask import render_template

    from portal.core.i18n import current_language
    from portal.web.fragments import fragments

    notices = _banner_notices()
    if not notices:
        return Markup("")
    key = ("banner", notices, current_language(), select_timezone())
    return fragments().get_or_render(key, lambda: render_template("_banner.html",
                                                                  notices=notices))


def _page_links() -> Markup:
    from flask import render_template

    from portal.web.fragments import fragments

    return fragments().get_or_render(("links", request.script_root),
                                     lambda: render_template("_links.html"))


def _main_nav():
    from flask import render_template

    from portal.core.i18n import current_language
    from portal.web.fragments import fragments

    user = current_user
    roles = (user.is_staff, user.is_staff_admin, user.is_customer_admin)
    key = ("nav", roles, current_language(), request.endpoint, request.blueprint)
    return fragments().get_or_render(key, lambda: render_template("_nav.html"))


def _request_gettext() -> dict:
    """Templates' `_`/`gettext`/`ngettext` bound to this request's catalogue, looked up once per
    request and language instead of on every call (Flask-Babel's own callables find it each
    time). Keyed by the locale: a mail rendered with force_locale gets its own language. They
    behave as Jinja's new-style gettext does (autoescaped, always %-formatted), built from its
    public `pass_context` only."""
    from flask_babel import get_locale, get_translations

    per_locale = g.setdefault("template_gettext", {}) if has_request_context() else {}
    locale = str(get_locale())
    if locale not in per_locale:
        translations = get_translations()
        per_locale[locale] = {"gettext": _newstyle(translations.ugettext),
                              "ngettext": _newstyle_plural(translations.ungettext)}
    return per_locale[locale]


def _newstyle(translate):
    @pass_context
    def gettext(context, message: str, **variables) -> str:
        text = translate(message)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return gettext


def _newstyle_plural(translate):
    @pass_context
    def ngettext(context, singular: str, plural: str, number: int, **variables) -> str:
        variables.setdefault("num", number)
        text = translate(singular, plural, number)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return ngettext
