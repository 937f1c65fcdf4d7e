"""Which mails a person gets: the switches on their profile, decided here and nowhere else.

`send_template` asks `wants(user, kind_of(template, user, ticket))` before it writes a mail into
the outbox, so no call site checks a setting itself and a new call site is covered at once.
Pure: neither Flask nor SQLAlchemy; `user` is anything with the attributes below (a portal
user; a workshop attendee or an unknown sender has no switches and always gets the mail).

What cannot be switched off (the terms, the fee, security): filing receipts, replies to one's
own requests, void and out of scope (they change what the organisation pays), overage and fee
mails, the satisfaction survey (services description 2.6), reminders, bookings, documents and
contracts, invitations, password reset, second-factor and contact changes. Provider staff have
no switches: every desk mail is part of the duty.
"""
from __future__ import annotations

# replies and updates on a request someone else filed: one the person watches (CC), or, for a
# customer administrator, any request of the organisation
COLLEAGUES = "colleagues"
# status and severity changes of the person's own requests
STATUS = "status"
# maintenance notices
MAINTENANCE = "maintenance"

KINDS = (COLLEAGUES, STATUS, MAINTENANCE)
# the user's column for each kind (portal/accounts/models.py, migration 0019)
SETTING = {COLLEAGUES: "mail_colleagues", STATUS: "mail_status", MAINTENANCE: "mail_maintenance"}

# mails about a request that its requester's colleagues may switch off; ticket_void and
# ticket_out_of_scope are not among them (they change the organisation's fee)
REQUEST_UPDATES = frozenset({"ticket_reply", "ticket_status", "ticket_severity",
                             "ticket_rca_delivered"})
# of those, the ones the requester may switch off for their own requests (never the replies)
OWN_REQUEST_UPDATES = frozenset({"ticket_status", "ticket_severity"})


def kind_of(template: str, recipient, ticket=None) -> str | None:
    """The switch that governs this mail to this person; None: the mail is always sent."""
    if template == "maintenance":
        return MAINTENANCE
    if ticket is None or template not in REQUEST_UPDATES:
        return None
    if getattr(ticket, "requester_id", None) != getattr(recipient, "id", None):
        return COLLEAGUES
    return STATUS if template in OWN_REQUEST_UPDATES else None


def wants(user, kind: str | None) -> bool:
    """Does this person get a mail of this kind? Always for a required mail (None), for
    provider staff, and for anyone without switches (an attendee, an unknown sender)."""
    if kind is None or getattr(user, "is_staff", False):
        return True
    return bool(getattr(user, SETTING[kind], True))
