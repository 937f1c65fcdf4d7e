"""Display names of kinds, risks and statuses, lazy so they follow the reader's language."""
from __future__ import annotations

from portal.core.i18n import _l

KIND_LABELS = {
    "incident_response": _l("Incident response"),
    "assessment": _l("Assessment"),
    "security_exercise": _l("Security crisis and response exercise"),
    "other": _l("Other engagement"),
}
RISK_LABELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "delivered": _l("Delivered"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
}
DOCUMENT_KIND_LABELS = {"outbrief": _l("Outbrief"), "service_plan": _l("Service plan")}
LANGUAGE_LABELS = {"ja": "日本語", "en": "English"}


def template_globals() -> dict:
    """The labels for the documents pages (a blueprint context processor)."""
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "risk_labels": RISK_LABELS,
            "document_kind_labels": DOCUMENT_KIND_LABELS, "language_labels": LANGUAGE_LABELS}
