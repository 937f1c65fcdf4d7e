"""/healthz and /readyz (shared/api.md "Health") for the provider's monitoring and load balancer.

No authentication, no session, no rate limit. /healthz never touches the database, so it says
only that this process serves; /readyz says whether it can do useful work.
"""
from __future__ import annotations

from flask import Blueprint, jsonify

from portal.ops.health import readiness

bp = Blueprint("ops", __name__)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz():
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)

