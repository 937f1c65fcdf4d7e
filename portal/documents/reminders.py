"""Outbrief reminders to staff (a job): a draft outbrief 3 days before it is due, and again when
it is overdue (due_on passed, still a draft), each once per outbrief and due day.

Days are the provider's (JST), as on the dashboard's "Outbriefs due". The reminder goes to the
staff member who wrote the draft, else to every active staff member.
"""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import STAFF_ROLES, User
from portal.core import clock
from portal.db import db
from portal.documents import rules
from portal.documents.models import Outbrief
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once

OUTBRIEF_REMINDER_JOB = "outbrief_reminder"
DAYS_BEFORE = 3
JST = ZoneInfo("Asia/Tokyo")


def _staff_for(outbrief: Outbrief) -> list[User]:
    author = db.session.get(User, outbrief.created_by_id) if outbrief.created_by_id else None
    if author is not None and author.active and author.role in STAFF_ROLES:
        return [author]
    return list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES),
                                                      User.active.is_(True))))


def remind_outbriefs() -> int:
    today = clock.now().astimezone(JST).date()
    latest_end = today + timedelta(days=DAYS_BEFORE) - (rules.due_on(today) - today)
    sent = 0
    drafts = db.session.scalars(
        select(Outbrief).where(Outbrief.status == rules.DRAFT,
                               Outbrief.engagement_end <= latest_end)
        .options(joinedload(Outbrief.organization)).order_by(Outbrief.id))
    for outbrief in drafts:
        stage = "overdue" if today > outbrief.due_on else "due_soon"
        if mark_once(OUTBRIEF_REMINDER_JOB, f"outbrief:{outbrief.id}",
                     f"{stage}@{outbrief.due_on:%Y%m%d}"):
            for member in _staff_for(outbrief):
                send_template(member, "outbrief_reminder", outbrief=outbrief,
                              overdue=stage == "overdue")
                sent += 1
    db.session.flush()
    return sent
