"""The landing page after sign-in: a dashboard for customers and for provider staff."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import current_contract
from portal.billing import services as billing
from portal.db import db
from portal.tickets import queries

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("accounts.login"))


@bp.get("/dashboard")
@login_required
def index():
    if current_user.is_staff:
        return _staff_dashboard()
    org = current_user.organization
    people = db.session.scalar(
        select(func.count(User.id)).where(User.organization_id == org.id, User.active.is_(True)))
    usage, _tickets = billing.usage(org, billing.current_month(org))
    recent = queries.list_tickets(current_user, queries.TicketFilter(status="open", per_page=5))
    return render_template("dashboard/customer.html", org=org, contract=current_contract(org),
                           active_people=people, usage=usage, recent=recent)


def _staff_dashboard():
    return redirect(url_for("backoffice.home"))
