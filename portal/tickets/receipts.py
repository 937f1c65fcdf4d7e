"""The filing receipt: one mail to the requester as soon as a request is filed, whatever the
channel (the form, the API, a mail — and a mail whose overage fee was confirmed later), since
all of them file through services.file_ticket.

It says the number, the kind and severity, the first-response target in the organisation's own
zone (not the reader's browser: the target is the contract's), and whether the request is within
the month's allowance or overage (with the unit price), so nobody has to sign in to learn it.
Below, up to three published knowledge-base articles that may answer it (the knowledge feature
registers how they are found: `app.extensions["receipt_articles"]`, portal/knowledge/receipt.py).
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import current_app

from portal.accounts.services import current_contract
from portal.notifications.services import send_template
from portal.tickets.models import Ticket


def due_text(ticket: Ticket, language: str) -> str:
    """The first-response target in the organisation's zone: 2026年11月24日 10:30 JST."""
    zone = ticket.organization.timezone
    pattern = "yyyy年M月d日 HH:mm" if language == "ja" else "MMM d, yyyy, h:mm a"
    text = babel_dates.format_datetime(ticket.response_due_at, pattern, tzinfo=ZoneInfo(zone),
                                       locale="ja" if language == "ja" else "en")
    return f"{text} {'JST' if zone == 'Asia/Tokyo' else f'({zone})'}"


def send_receipt(ticket: Ticket) -> None:
    """Tell the requester (a customer; staff filing for a customer get none) what was filed."""
    requester = ticket.requester
    if requester is None or requester.is_staff or not requester.active:
        return
    contract = current_contract(ticket.organization)
    suggest = current_app.extensions.get("receipt_articles")  # the knowledge base's, if present
    send_template(requester, "ticket_received", ticket=ticket,
                  due=due_text(ticket, requester.locale),
                  included=contract.included_requests if contract else None,
                  unit_price=contract.overage_unit_price if contract else None,
                  articles=suggest(requester, ticket.subject, ticket.body) if suggest else [])
