"""HTTP API version 1: bearer tokens only, JSON in and out, the same services as the pages."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from portal.accounts.services import user_for_token
from portal.core.i18n import _
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


def user_json(user) -> dict:
    org = user.organization
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "locale": user.locale,
        "organization": {"id": org.id, "slug": org.slug, "name": org.name} if org else None,
    }


@bp.get("/me")
def me():
    return jsonify(user_json(api_user()))


@bp.get("/openapi.json")
def openapi():
    from portal.api.openapi import spec

    return jsonify(spec())


def _api_limit_key() -> str:
    """Count API calls per token (hashed), else per client address."""
    from flask_limiter.util import get_remote_address

    from portal.accounts.security import hash_token

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return f"token:{hash_token(token.strip())}" if scheme.lower() == "bearer" and token else \
        f"addr:{get_remote_address()}"


limit_blueprint(bp, lambda: current_app.config["API_RATE_LIMIT"], key_func=_api_limit_key)


# Each feature's API routes live beside the feature (portal/<feature>/api.py) and register
# themselves on `bp` and in the OpenAPI description when imported here.
from portal.billing import api as _billing_api  # noqa: E402,F401
from portal.documents import api as _documents_api  # noqa: E402, F401
from portal.tickets import api as _tickets_api  # noqa: E402,F401
from portal.workshops import api as _workshops_api  # noqa: E402, F401
