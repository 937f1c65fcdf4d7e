"""Flask extensions: created here, bound to the app in create_app."""
from __future__ import annotations

from flask import request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from portal.db import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
LIMITED_BLUEPRINTS: set[str] = set()


def limit_blueprint(bp, limit, **options) -> None:
    """A rate limit on every route of a blueprint (checked before the request, see below)."""
    LIMITED_BLUEPRINTS.add(bp.name)
    limiter.limit(limit, **options)(bp)


def check_limits_only_where_they_apply(app) -> None:
    """Flask-Limiter works out, before every request, which of its limits apply: about a tenth of
    a signed-in page's time here, for pages that have none. Its before-request check only matters
    for limits on a whole blueprint (`limit_blueprint`) and application-wide or default limits;
    a view's own `@limiter.limit` is checked by its decorator. So run it for those alone."""
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit
    manager = limiter.limit_manager

    def check_where_limited() -> None:
        if (request.blueprint in LIMITED_BLUEPRINTS or manager.application_limits
                or manager.default_limits):
            check()

    hooks[hooks.index(check)] = check_where_limited

    # Likewise its after-request hook (rate-limit headers, deductions made only on some answers)
    # has nothing to do when no limit was looked at in this request: Flask-Limiter keeps what
    # it looked at on the request context, made on first use.
    after = app.after_request_funcs.setdefault(None, [])
    inject = next(hook for hook in after if getattr(hook, "func", None)
                  is Limiter._Limiter__inject_headers)

    def inject_where_limited(response):
        if hasattr(request_ctx, "_limiter_request_context"):
            return inject(response)
        return response

    after[after.index(inject)] = inject_where_limited


def login_failure_key() -> str:
    """Throttle failed logins per client address and per account tried."""
    email = (request.form.get("email") or "").strip().lower()
    return f"{get_remote_address()}|{email}"


__all__ = ["db", "login_manager", "csrf", "babel", "migrate", "limiter", "login_failure_key",
           "limit_blueprint", "check_limits_only_where_they_apply"]
