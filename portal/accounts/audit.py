"""The audit trail in words: what each recorded event code means, and its details as a reader
reads them, in the reader's language (the back office's audit page, a request's work view).

Every code that `portal.accounts.services.record` is called with has a label here
(`tests/unit/test_audit_labels.py` reads the sources and fails on a new code without one).
Details are shown as "name: value" pairs: known names and values (statuses, kinds, roles,
booleans) in words, the rest as the text that was recorded (Japanese as Japanese, never the
JSON escapes of the stored form). docs/decisions/pages.md.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.core.i18n import _l, current_language
from portal.core.money import format_yen
from portal.seed_texts import PACKAGE_ITEMS, exclusion_text

ACTIONS = {
    "article.saved": _l("Knowledge article saved"),
    "booking.cancelled": _l("Workshop booking cancelled"),
    "booking.cancelled_by_provider": _l("Workshop booking cancelled by the provider"),
    "booking.created": _l("Workshop booked"),
    "booking.rescheduled": _l("Workshop booking rescheduled"),
    "closure_day.added": _l("Closure day added"),
    "closure_day.removed": _l("Closure day removed"),
    "contact.activated": _l("Contact reactivated"),
    "contact.deactivated": _l("Contact deactivated"),
    "contact.invitation_resent": _l("Invitation sent again"),
    "contact.invitation_withheld": _l("Invitation of an address registered elsewhere withheld"),
    "contact.role_changed": _l("Contact's role changed"),
    "contract.package_changed": _l("Contract package items changed"),
    "contract.updated": _l("Contract changed"),
    "factor.added": _l("Second factor added"),
    "factor.recovery_code_used": _l("Recovery code used"),
    "factor.recovery_codes_created": _l("Recovery codes created"),
    "factor.removed": _l("Second factor removed"),
    "factor.reset": _l("Second factors reset by the provider"),
    "jobs.setting_changed": _l("Automatic step setting changed"),
    "mail.added": _l("Mail added to the request"),
    "mail.added_by_staff": _l("Held mail added to a request by staff"),
    "mail.discarded": _l("Held mail discarded"),
    "mail.fee_confirmed": _l("Overage fee of a mailed request confirmed"),
    "mail.fee_lapsed": _l("Mailed request lapsed without fee confirmation"),
    "mail.filed_by_staff": _l("Held mail filed as a request by staff"),
    "mail.sender_blocked": _l("Mail sender blocked"),
    "mail.sender_unblocked": _l("Mail sender unblocked"),
    "maintenance.announced": _l("Maintenance announced"),
    "organization.created": _l("Organisation created"),
    "organization.second_factor_required": _l("Second factor requirement changed"),
    "outbrief.accepted": _l("Outbrief accepted"),
    "outbrief.created": _l("Outbrief created"),
    "outbrief.declined": _l("Outbrief declined"),
    "outbrief.delivered": _l("Outbrief delivered"),
    "outbrief.updated": _l("Outbrief changed"),
    "password.changed": _l("Password changed"),
    "password.reset_requested": _l("Password reset requested"),
    "password.set": _l("Password set from a link"),
    "profile.updated": _l("Profile changed"),
    "sessions.ended_one": _l("A sign-in session ended"),
    "sessions.ended_others": _l("Other sign-in sessions ended"),
    "sso.settings_changed": _l("Single sign-on settings changed"),
    "ticket.assigned": _l("Request assigned"),
    "ticket.auto_closed": _l("Request closed automatically"),
    "ticket.filed": _l("Request filed"),
    "ticket.follow_up_filed": _l("Follow-up request filed"),
    "ticket.out_of_scope": _l("Request marked out of scope"),
    "ticket.rated": _l("Satisfaction rated"),
    "ticket.rca_delivered": _l("Root-cause analysis delivered"),
    "ticket.rca_requested": _l("Root-cause analysis requested"),
    "ticket.reminder_sent": _l("Reminder sent to the customer"),
    "ticket.reopened": _l("Request reopened"),
    "ticket.severity_change_requested": _l("Severity change requested"),
    "ticket.severity_changed": _l("Severity changed"),
    "ticket.status_changed": _l("Status changed"),
    "ticket.voided": _l("Request voided"),
    "ticket.watcher_added": _l("Colleague copied on mails"),
    "ticket.watcher_removed": _l("Colleague no longer copied"),
    "token.created": _l("API token created"),
    "token.revoked": _l("API token revoked"),
    "user.created": _l("Account created"),
    "user.signed_in": _l("Signed in to the portal"),
    "workshop.archived": _l("Workshop archived"),
    "workshop.created": _l("Workshop created"),
    "workshop.deleted": _l("Workshop deleted"),
    "workshop.restored": _l("Workshop restored"),
    "workshop.updated": _l("Workshop changed"),
    "workshop_session.cancelled": _l("Workshop session cancelled"),
    "workshop_session.created": _l("Workshop session created"),
}

FIELDS = {
    "added": _l("Added"), "after": _l("After"), "assignee": _l("Assignee"),
    "attendees": _l("Attendees"), "before": _l("Before"), "bookings": _l("Bookings"),
    "business_days": _l("Business days"), "changed": _l("Changed"), "client_id": _l("Client ID"),
    "contract_warning": _l("Contract warning"), "count": _l("Count"), "day": _l("Day"),
    "domains": _l("Domains"), "email": _l("E-mail address"), "enabled": _l("Enabled"),
    "ends_on": _l("Ends on"), "exclusion": _l("Exclusion"), "fee": _l("Fee"),
    "first": _l("First rating"), "follow_up_id": _l("Follow-up"), "issuer": _l("Issuer"),
    "kind": _l("Kind"), "left": _l("Left"), "message_id": _l("Message-ID"),
    "method": _l("Method"), "name": _l("Name"), "new_booking_id": _l("New booking"),
    "number": _l("Number"), "overage": _l("Overage"), "percent": _l("Percent"),
    "price": _l("Price"), "published": _l("Published"), "rank": _l("Rank in the month"),
    "rating": _l("Rating"), "reason": _l("Reason"), "removed": _l("Removed"),
    "required": _l("Required"), "role": _l("Role"), "sender": _l("Sender"),
    "session_id": _l("Session"), "severity": _l("Severity"), "slug": _l("Slug"),
    "sso_only": _l("Single sign-on only"), "starts_at": _l("Starts"),
    "starts_on": _l("Starts on"), "subject": _l("Subject"), "title": _l("Title"),
    "to": _l("To"), "user_id": _l("Person"), "watcher": _l("Colleague"),
    "workshop_id": _l("Workshop"),
    # a contract's columns (contract.updated: before and after), as the contract form names them
    "term_start": _l("Contract start"), "term_end": _l("Contract end"),
    "included_requests": _l("Requests included per month"),
    "overage_unit_price": _l("Overage unit price (JPY, tax excluded)"), "opens": _l("Opens"),
    "closes": _l("Closes"), "always_open": _l("24/365 option"),
}

# recorded values that are codes: shown in words (the same wording as the pages use)
VALUES = {
    "new": _l("New"), "in_progress": _l("In progress"),
    "waiting_for_customer": _l("Waiting for customer"), "resolved": _l("Resolved"),
    "closed": _l("Closed"), "question": _l("Question (Q&A)"), "incident": _l("Incident"),
    "customer_admin": _l("Support service administrator"), "contact": _l("Designated support contact"),
    "staff": _l("Provider staff"), "staff_admin": _l("Provider administrator"),
    "password": _l("Password"), "sso": _l("Single sign-on"), "totp": _l("Authenticator app"),
    "passkey": _l("Passkey"),
}
# names whose values are yen, or free text never to be read as a code
YEN = {"fee", "price"}
PACKAGE_CHANGES = {"added", "removed"}  # contract.package_changed: the seed's package items
TEXT = {"reason", "name", "title", "subject", "email", "to", "watcher", "assignee", "sender",
        "issuer", "client_id", "slug", "message_id", "number"}

TARGETS = {
    "ticket": _l("Request"), "user": _l("Person"), "contract": _l("Contract"),
    "organization": _l("Organisation"), "booking": _l("Workshop booking"),
    "outbrief": _l("Outbrief"), "inboundmail": _l("Received mail"), "apitoken": _l("API token"),
    "article": _l("Knowledge article"), "maintenancenotice": _l("Maintenance notice"),
    "closureday": _l("Closure day"), "workshop": _l("Workshop"),
    "workshopsession": _l("Workshop session"),
}


@dataclass(frozen=True)
class Detail:
    name: str
    value: str


def action_label(action: str) -> str:
    """The event in words; a code without a label (none should exist) reads as its words."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action.replace(".", ": ").replace("_", " ")


def target_label(target_type: str) -> str:
    label = TARGETS.get(target_type)
    return str(label) if label is not None else target_type


def _package_item(key: str) -> str:
    item = next((entry for entry in PACKAGE_ITEMS if entry["key"] == key), None)
    return key if item is None else item["ja" if current_language() == "ja" else "en"]


def _value(name: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if name in YEN and isinstance(value, int):
        return format_yen(value)
    if name == "exclusion" and isinstance(value, str):
        return exclusion_text(value) or value
    if name in PACKAGE_CHANGES and isinstance(value, str):
        return _package_item(value)
    if isinstance(value, list):
        return _listed([_value(name, item) for item in value])
    if isinstance(value, dict):
        return _listed([str(_l("%(name)s: %(value)s", name=_field(key), value=_value(key, item)))
                        for key, item in value.items()])
    if isinstance(value, str) and name not in TEXT and value in VALUES:
        return str(VALUES[value])
    if value in ("True", "False") and name not in TEXT:  # a flag recorded as its text
        return str(_l("Yes") if value == "True" else _l("No"))
    return str(value)


def _listed(items: list[str]) -> str:
    """Items in a row, the reader's way: "a, b" / "a、b"."""
    return "、".join(items) if current_language() == "ja" else ", ".join(items)


def _field(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name.replace("_", " ")


def details(recorded: dict | None) -> list[Detail]:
    """The recorded details as (name, value) in words, in the order they were recorded."""
    return [Detail(_field(name), _value(name, value))
            for name, value in (recorded or {}).items()]
