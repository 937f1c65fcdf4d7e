"""Every audit event code the portal records reads in words on the audit pages (issue 18: the
trail showed `ticket.severity_changed` and `\\u30bb` escapes)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from portal.accounts import audit

PORTAL = Path(__file__).resolve().parents[2] / "portal"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# f"outbrief.{new}" (documents/services.py: decide) with new in documents.rules
FORMATTED = {"outbrief.{new}": ("outbrief.accepted", "outbrief.declined")}


def _codes_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    codes: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record"
                and len(node.args) > 1):
            continue
        action = node.args[1]
        if isinstance(action, ast.Constant):
            codes.add(action.value)
        elif isinstance(action, ast.IfExp):
            codes.update(part.value for part in (action.body, action.orelse))
        elif isinstance(action, ast.JoinedStr):
            codes.update(FORMATTED[ast.unparse(action)[2:-1]])
        else:  # a name given by the callers: every code the module passes to a call
            codes.update(arg.value for call in ast.walk(tree) if isinstance(call, ast.Call)
                         for arg in call.args if isinstance(arg, ast.Constant)
                         and isinstance(arg.value, str) and CODE.match(arg.value))
    return codes


def recorded_codes() -> set[str]:
    return set().union(*(_codes_in(path) for path in PORTAL.rglob("*.py")))


def test_the_sources_are_read():
    assert {"ticket.severity_changed", "contact.activated", "contact.deactivated",
            "outbrief.declined", "mail.sender_blocked", "user.signed_in"} <= recorded_codes()


def test_every_recorded_code_has_a_label():
    missing = sorted(recorded_codes() - set(audit.ACTIONS))
    assert not missing, f"add a label to portal/accounts/audit.py ACTIONS for {missing}"
