"""Tenancy in one place: customer data is always scoped to the user's organisation."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from portal.db import db, get


def scope(query: Select, model, user=None) -> Select:
    """Limit a query on an organisation-owned model to what `user` may see."""
    user = user or current_user
    if user.is_staff:
        return query
    return query.where(model.organization_id == user.organization_id)


def visible(model, object_id: int, user=None):
    """The object if `user` may see it, else None: staff see every organisation's, customers
    only their own. Services call this (and raise their own NotFound); views call
    `get_scoped_or_404`. Another organisation's id and a missing one are the same None."""
    user = user or current_user
    obj = get(model, object_id)
    if obj is None or not (user.is_staff or obj.organization_id == user.organization_id):
        return None
    return obj


def get_scoped_or_404(model, object_id: int, user=None):
    """An object of the user's organisation; another organisation's id is a 404, like a missing one."""
    obj = visible(model, object_id, user)
    if obj is None:
        abort(404)
    return obj


def organization_by_slug(slug: str):
    """The organisation staff named by its slug, else None: the one way staff pick an
    organisation (API: 404; pages: a 404 page). Never silently another organisation."""
    from portal.accounts.models import Organization

    if not isinstance(slug, str) or not slug or "\x00" in slug or len(slug) > 64:
        return None
    return db.session.scalar(select(Organization).where(Organization.slug == slug))


def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = _role_required(lambda user: user.is_staff)
staff_admin_required = _role_required(lambda user: user.is_staff_admin)
customer_admin_required = _role_required(lambda user: user.is_customer_admin)
customer_required = _role_required(lambda user: not user.is_staff)
