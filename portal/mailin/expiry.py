"""The overage fee of a mailed request that nobody confirmed lapses (a job, every few minutes).

rules.md: an overage Q&A/B/C mail waits for the sender to accept the fee; the link is valid for
7 days. After that the mail is not filed and not billed: its row becomes *discarded* with the
reason *lapsed* (the review page says so), and the sender is told once, in their language, so
that nobody waits for an answer to a request that was never filed.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import record
from portal.core import clock
from portal.db import db
from portal.mailin.intake import CONFIRMATION_DAYS
from portal.mailin.models import InboundMail
from portal.notifications.services import send_template
from portal.ops.jobs import mark_once

LAPSE_JOB = "mail_fee_lapse"


def lapse_unconfirmed() -> int:
    """Discard the mails whose fee was not confirmed within 7 days; returns how many."""
    limit = clock.now() - timedelta(days=CONFIRMATION_DAYS)
    lapsed = 0
    for row in db.session.scalars(select(InboundMail).where(
            InboundMail.status == "awaiting_fee", InboundMail.taken_at <= limit)
            .order_by(InboundMail.id)):
        if not mark_once(LAPSE_JOB, f"mail:{row.id}", "lapsed"):
            continue
        row.status, row.reason = "discarded", "lapsed"
        person = db.session.get(User, row.user_id) if row.user_id else None
        if person is not None and person.active:
            send_template(person, "mail_overage_lapsed", subject=row.subject,
                          days=CONFIRMATION_DAYS)
        record(None, "mail.fee_lapsed", row, row.organization_id, message_id=row.message_id,
               subject=row.subject)
        lapsed += 1
    db.session.flush()
    return lapsed
