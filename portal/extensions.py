"""Flask extensions: created here, bound to the app in create_app."""
from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.db import db
from portal.ratelimit import RateLimits, remote_address

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = RateLimits()


def login_failure_key() -> str:
    """Throttle failed logins per client address and per account tried."""
    from portal.core.addresses import canonical_address

    email = canonical_address(request.form.get("email"))
    return f"{remote_address()}|{email}"


__all__ = ["db", "login_manager", "csrf", "babel", "limiter", "login_failure_key"]
