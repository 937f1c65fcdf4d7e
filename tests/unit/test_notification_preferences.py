"""Unit tests for portal.notifications.preferences: which switch governs which mail to whom."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.notifications.preferences import (
    COLLEAGUES,
    MAINTENANCE,
    REQUEST_UPDATES,
    STATUS,
    kind_of,
    wants,
)

REQUESTER = SimpleNamespace(id=1)
COLLEAGUE = SimpleNamespace(id=2)
TICKET = SimpleNamespace(id=10, requester_id=1)
MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"

CASES = [
    ("maintenance", COLLEAGUE, None, MAINTENANCE),
    ("ticket_reply", REQUESTER, TICKET, None),
    ("ticket_reply", COLLEAGUE, TICKET, COLLEAGUES),
    ("ticket_status", REQUESTER, TICKET, STATUS),
    ("ticket_status", COLLEAGUE, TICKET, COLLEAGUES),
    ("ticket_severity", REQUESTER, TICKET, STATUS),
    ("ticket_rca_delivered", REQUESTER, TICKET, None),
    ("ticket_rca_delivered", COLLEAGUE, TICKET, COLLEAGUES),
    ("ticket_void", COLLEAGUE, TICKET, None),
    ("ticket_out_of_scope", COLLEAGUE, TICKET, None),
    ("overage_urgent", COLLEAGUE, TICKET, None),
    ("ticket_received", REQUESTER, TICKET, None),
    ("ticket_waiting_reminder", REQUESTER, TICKET, None),
    ("satisfaction_survey", REQUESTER, TICKET, None),
    ("password_reset", REQUESTER, None, None),
    ("ticket_status", COLLEAGUE, None, None),
]


@pytest.mark.parametrize(("template", "recipient", "ticket", "kind"), CASES,
                         ids=[f"{c[0]}-{'requester' if c[1] is REQUESTER else 'colleague'}"
                              f"{'' if c[2] else '-no-ticket'}" for c in CASES])
def test_the_switch_that_governs_a_mail(template, recipient, ticket, kind):
    assert kind_of(template, recipient, ticket) == kind


def person(**switches):
    values = {"is_staff": False, "mail_colleagues": True, "mail_status": True,
              "mail_maintenance": True}
    return SimpleNamespace(**{**values, **switches})


@pytest.mark.parametrize(("user", "kind", "expected"), [
    (person(), MAINTENANCE, True),
    (person(mail_maintenance=False), MAINTENANCE, False),
    (person(mail_maintenance=False), COLLEAGUES, True),
    (person(mail_colleagues=False), COLLEAGUES, False),
    (person(mail_status=False), STATUS, False),
    (person(mail_colleagues=False, mail_status=False, mail_maintenance=False), None, True),
    (person(is_staff=True, mail_colleagues=False), COLLEAGUES, True),
    (SimpleNamespace(email="attendee@example.com", locale="ja"), MAINTENANCE, True),
], ids=["default-on", "maintenance-off", "other-switch-untouched", "colleagues-off",
        "status-off", "required-always", "staff-always", "no-account-always"])
def test_who_wants_a_mail(user, kind, expected):
    assert wants(user, kind) is expected


def test_every_switchable_request_mail_exists():
    """A renamed template would silently become required: the table names real mails."""
    for template in REQUEST_UPDATES | {"maintenance"}:
        assert (MAIL_TEMPLATES / f"{template}.txt").exists(), template
