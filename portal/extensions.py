"""Flask extensions: created here, bound to the app in create_app."""
from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.db import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limit_blueprint(bp, limit, **options) -> None:
    """A rate limit on every route of a blueprint (Flask-Limiter checks it before the request)."""
    limiter.limit(limit, **options)(bp)


def login_failure_key() -> str:
    """Throttle failed logins per client address and per account tried."""
    from portal.core.addresses import canonical_address

    email = canonical_address(request.form.get("email"))
    return f"{get_remote_address()}|{email}"


__all__ = ["db", "login_manager", "csrf", "babel", "limiter", "login_failure_key",
           "limit_blueprint"]
