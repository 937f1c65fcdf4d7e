"""What every /api/v1 route shares: the blueprint, bearer-token authentication, the rate limit,
and the JSON forms of an instant. Features add their routes to `bp` in their own `api.py`;
`portal/api/` gathers them (and serves /me and the OpenAPI description)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, g, request

from portal.accounts.services import user_for_token
from portal.core.i18n import _
from portal.core.months import DEFAULT_ZONE
from portal.errors import api_error
from portal.extensions import limit_blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    """Only `Authorization: Bearer TOKEN` authenticates; cookies never do."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        return api_error(401, _("A valid API token is required."))
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def api_user():
    return g.api_user


def instant(value: datetime | None, tz: str = DEFAULT_ZONE, spec: str = "auto") -> str | None:
    """An instant as ISO 8601 with the offset of the organisation's zone, or None."""
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec=spec) if value else None


def _api_limit_key() -> str:
    """Count API calls per token (hashed), else per client address."""
    from flask_limiter.util import get_remote_address

    from portal.accounts.security import hash_token

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return f"token:{hash_token(token.strip())}" if scheme.lower() == "bearer" and token else \
        f"addr:{get_remote_address()}"


limit_blueprint(bp, lambda: current_app.config["API_RATE_LIMIT"], key_func=_api_limit_key)
