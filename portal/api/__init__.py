"""HTTP API version 1: the features' routes gathered on one blueprint (portal/web/api.py), with
/me and the OpenAPI description. Bearer tokens only, JSON in and out, the same services as the
pages."""
from __future__ import annotations

from flask import jsonify

from portal.api.api_schemas import Me
from portal.billing import api as _billing_api  # noqa: F401  (each registers its routes on bp)
from portal.documents import api as _documents_api  # noqa: F401
from portal.knowledge import api as _knowledge_api  # noqa: F401
from portal.tickets import api as _tickets_api  # noqa: F401
from portal.web.api import api_user, bp, operation
from portal.workshops import api as _workshops_api  # noqa: F401

__all__ = ["bp"]


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


@operation("get", "/me", summary="The user the token acts for", answer=Me)
def me():
    return user_json(api_user())


@operation("get", "/openapi.json", summary="This description", public=True,
           content={"application/json": {"schema": {"type": "object"}}})
def openapi():
    from portal.web.openapi import spec

    return jsonify(spec())
