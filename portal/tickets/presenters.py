"""How a request's deadline and labels read on a page, in the viewer's language."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from portal import seed_texts
from portal.core import clock
from portal.core.calendar import BusinessCalendar
from portal.core.i18n import _, _l, current_language
from portal.seed_texts import SEVERITIES
from portal.tickets import sla
from portal.tickets.models import Ticket

STATUS_LABELS = {
    "new": _l("New"), "in_progress": _l("In progress"),
    "waiting_for_customer": _l("Waiting for customer"), "resolved": _l("Resolved"),
    "closed": _l("Closed"),
}
KIND_LABELS = {"question": _l("Question (Q&A)"), "incident": _l("Incident")}


def translated(labels: dict) -> dict[str, str]:
    """Lazy labels turned into text once, for pages that show them on every row."""
    return {key: str(value) for key, value in labels.items()}


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    answered: bool
    met: bool | None
    missed: bool
    at_risk: bool
    text: str
    business: bool


def duration_text(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        return _("%(d)s d %(h)s h", d=hours // 24, h=hours % 24)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    if not minutes:  # never "0 min overdue" (issue 18)
        return _("less than a minute")
    return _("%(m)s min", m=minutes)


def deadline(ticket: Ticket, calendar: BusinessCalendar, now: datetime | None = None) -> Deadline:
    """The first-response deadline: time left (business time where it applies), or met/missed."""
    now = now or clock.now()
    target = sla.stored_target(ticket.kind, ticket.severity, ticket.received_at,
                               ticket.response_due_at, calendar,
                               azure_component=ticket.azure_component)
    business = target.clock == "business"
    if ticket.first_response_at is not None:
        met = bool(ticket.response_met)
        text = _("First response met the target") if met else _("First response missed the target")
        return Deadline(ticket.response_due_at, True, met, not met, False, text, business)
    left = sla.time_left(target, now, calendar)
    if left.missed:
        text = _("Overdue by %(time)s", time=duration_text(now - ticket.response_due_at))
    elif business:
        text = _("%(time)s left (business hours)", time=duration_text(left.remaining))
    else:
        text = _("%(time)s left", time=duration_text(left.remaining))
    return Deadline(ticket.response_due_at, False, None, left.missed, left.at_risk, text, business)


# The seeds name their own providers (マイクロソフト, ＪＢＣＣ); a customer reads the portal's own
# (PORTAL_PROVIDER_NAME). Microsoft's products and product groups stay Microsoft's.
SEED_PROVIDERS = re.compile(r"(?:マイクロソフト|Microsoft)(?!\s*(?:製品|product))|ＪＢＣＣ|JBCC")


def provider_wording(text: str, provider: str) -> str:
    """A seed sentence with the provider it names replaced by the portal's provider."""
    return SEED_PROVIDERS.sub(provider, text)


def severity_info(code: str) -> dict:
    """The seed's description of a severity and the customer's duties, in the viewer's language,
    naming the portal's own provider."""
    entry = next(item for item in SEVERITIES if item["code"] == code)
    lang = "ja" if current_language() == "ja" else "en"
    provider = current_app.config["PROVIDER_NAME"]
    return {key: provider_wording(entry.get(f"{lang}_{key}", ""), provider) for key in
            ("name", "meaning", "urgency", "response", "customer_duty")}


def severity_table() -> list[dict]:
    return [dict(code=item["code"], **severity_info(item["code"])) for item in SEVERITIES]


# The staff decisions and steps a customer sees in the thread, with their reason (rules.md).
CUSTOMER_EVENTS = ("ticket.severity_changed", "ticket.status_changed", "ticket.voided",
                   "ticket.out_of_scope", "ticket.rca_requested", "ticket.rca_delivered",
                   "ticket.reopened", "ticket.follow_up_filed")


def exclusion_text(key: str | None) -> str:
    """An exclusion of terms [10] in the seed's words, in the viewer's language, numbered."""
    return seed_texts.exclusion_text(key) or ""


def event_text(action: str, details: dict) -> str:
    """What a thread event says, in the viewer's language (its reason is shown beside it)."""
    status = {key: str(value) for key, value in STATUS_LABELS.items()}
    texts = {
        "ticket.severity_changed": lambda: _(
            "The severity was changed from %(before)s to %(after)s; the response deadline was "
            "recomputed.", before=details.get("before") or "—", after=details.get("after")),
        "ticket.status_changed": lambda: _(
            "The status was changed from %(before)s to %(after)s.",
            before=status.get(details.get("before"), details.get("before")),
            after=status.get(details.get("after"), details.get("after"))),
        "ticket.voided": lambda: _(
            "The request was voided and closed: it does not count toward the month's allowance."),
        "ticket.out_of_scope": lambda: _(
            "The request is out of scope under terms [10] %(exclusion)s It is billed separately "
            "at the standard rate and does not count toward the month's allowance.",
            exclusion=exclusion_text(details.get("exclusion"))),
        "ticket.rca_requested": lambda: _("A root-cause analysis was requested."),
        "ticket.rca_delivered": lambda: _("The root-cause analysis was delivered."),
        "ticket.reopened": lambda: _("The request was reopened."),
        "ticket.follow_up_filed": lambda: _(
            "A reply to this closed request was filed as a new request, %(number)s.",
            number=details.get("number", "")),
    }
    return texts[action]() if action in texts else action
