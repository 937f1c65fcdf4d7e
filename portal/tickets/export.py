"""The customer administrator's CSV of the organisation's requests (the list's filters, every
page), and the organisation's people for the list's requester filter."""
from __future__ import annotations

import csv
import io
from dataclasses import replace

from sqlalchemy import select

from portal.accounts.models import User
from portal.core.i18n import _
from portal.db import db
from portal.tickets import presenters, queries

BATCH = 100  # the list's largest page


def people_of(org_id: int | None) -> list[User]:
    """The organisation's people, by name (the requester filter's choices)."""
    return list(db.session.scalars(
        select(User).where(User.organization_id == org_id).order_by(User.name, User.id)))


def _rows(user, flt: queries.TicketFilter):
    """Every request the filters match, a page at a time (the list's own queries)."""
    number = 1
    while True:
        page = queries.list_tickets(user, replace(flt, page=number, per_page=BATCH))
        yield from page.items
        # a count may stop at a cap ("more than 1,000"): then a short page is the end
        if len(page.items) < BATCH or (not page.more and number * BATCH >= page.total):
            return
        number += 1


def requests_csv(user, flt: queries.TicketFilter, instant) -> str:
    """The CSV text (with a BOM, so Excel in Japan reads UTF-8); `instant` formats a time."""
    kinds = presenters.translated(presenters.KIND_LABELS)
    statuses = presenters.translated(presenters.STATUS_LABELS)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Number"), _("Received"), _("Kind"), _("Severity"), _("Status"),
                     _("Subject"), _("Requester"), _("Month"), _("Rank"), _("Overage"),
                     _("Void"), _("Out of scope")])
    for t in _rows(user, flt):
        writer.writerow([
            t.number, instant(t.received_at), kinds[t.kind], t.severity or "",
            statuses[t.status], _safe(t.subject), _safe(t.requester.name if t.requester else ""),
            t.month, t.rank or "", "1" if t.overage else "", "1" if t.voided else "",
            presenters.exclusion_text(t.out_of_scope) if t.out_of_scope else ""])
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
