"""Outbriefs: write, keep as draft, edit, deliver, accept or decline; and the download record.

Services only flush; the request commits. Tenancy: customers reach only their organisation's
outbriefs, and never a draft; both look exactly like a missing id (NotFound).
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.accounts import tenancy
from portal.accounts.models import Organization, Role, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.i18n import _l
from portal.core.months import FIRST_DAY, LAST_DAY, is_day_in_range
from portal.db import db, get
from portal.documents import rules
from portal.documents.interfaces import DocumentsError, NotAllowed, NotFound, OutbriefInput
from portal.documents.models import DocumentDownload, Finding, Outbrief
from portal.notifications.services import send_template

JST = ZoneInfo("Asia/Tokyo")
SERVICE_PLAN_ID = "service-plan"
OUTBRIEF_PREFIX = "outbrief-"
LIMITS = {"title": 200, "summary": 10_000, "detail": 5_000, "recommendation": 1_000,
          "findings": 50, "recommendations": 50}


def check_input(data: OutbriefInput) -> dict[str, str]:
    """Field -> message for everything wrong with what staff wrote (empty when fine)."""
    errors: dict[str, str] = {}
    if data.organization_id is None or get(Organization, data.organization_id) is None:
        errors["organization"] = _l("Choose the organisation.")
    if data.kind not in rules.KINDS:
        errors["kind"] = _l("Choose the kind of engagement.")
    if not data.title.strip() or len(data.title) > LIMITS["title"]:
        errors["title"] = _l("Enter a title of at most 200 characters.")
    if data.engagement_start is None or data.engagement_end is None:
        errors["engagement_end"] = _l("Enter the first and last day of the engagement.")
    elif not (is_day_in_range(data.engagement_start) and is_day_in_range(data.engagement_end)):
        field = "engagement_start" if not is_day_in_range(data.engagement_start) else "engagement_end"
        errors[field] = _l("Enter a date between %(first)s and %(last)s.",
                           first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    elif data.engagement_end < data.engagement_start:
        errors["engagement_end"] = _l("The engagement must end on or after its first day.")
    if len(data.summary) > LIMITS["summary"]:
        errors["summary"] = _l("The summary is too long (at most 10,000 characters).")
    errors.update(_check_findings(data))
    if len(data.recommendations) > LIMITS["recommendations"] or any(
            len(text) > LIMITS["recommendation"] for text in data.recommendations):
        errors["recommendations"] = _l("At most 50 recommendations of 1,000 characters each.")
    errors.update(_check_english(data))
    return errors


def _check_english(data: OutbriefInput) -> dict[str, str]:
    """The English version keeps the same limits as the Japanese one."""
    errors: dict[str, str] = {}
    if len(data.title_en) > LIMITS["title"]:
        errors["title_en"] = _l("Enter a title of at most 200 characters.")
    if len(data.summary_en) > LIMITS["summary"]:
        errors["summary_en"] = _l("The summary is too long (at most 10,000 characters).")
    if len(data.recommendations_en) > LIMITS["recommendations"] or any(
            len(text) > LIMITS["recommendation"] for text in data.recommendations_en):
        errors["recommendations_en"] = _l("At most 50 recommendations of 1,000 characters each.")
    if any(len(f.title_en) > LIMITS["title"] or len(f.detail_en) > LIMITS["detail"]
           for f in data.findings):
        errors["findings"] = _l("A finding's detail is too long (at most 5,000 characters).")
    return errors


def _check_findings(data: OutbriefInput) -> dict[str, str]:
    if len(data.findings) > LIMITS["findings"]:
        return {"findings": _l("At most 50 findings.")}
    for finding in data.findings:
        if finding.risk not in rules.RISKS:
            return {"findings": _l("Each finding needs a risk: high, medium or low.")}
        if not finding.title.strip() or len(finding.title) > LIMITS["title"]:
            return {"findings": _l("Each finding needs a title of at most 200 characters.")}
        if len(finding.detail) > LIMITS["detail"]:
            return {"findings": _l("A finding's detail is too long (at most 5,000 characters).")}
    return {}


def _validated(data: OutbriefInput) -> None:
    errors = check_input(data)
    if errors:
        raise DocumentsError(_l("Please correct the marked fields."), errors)


def _apply(outbrief: Outbrief, data: OutbriefInput) -> None:
    outbrief.organization_id = data.organization_id
    outbrief.kind = data.kind
    outbrief.title = data.title.strip()
    outbrief.engagement_start = data.engagement_start
    outbrief.engagement_end = data.engagement_end
    outbrief.summary = data.summary.strip()
    outbrief.recommendations = [text.strip() for text in data.recommendations if text.strip()]
    outbrief.title_en = data.title_en.strip()
    outbrief.summary_en = data.summary_en.strip()
    outbrief.recommendations_en = [text.strip() for text in data.recommendations_en if text.strip()]
    outbrief.findings = [
        Finding(position=index, title=item.title.strip(), risk=item.risk, detail=item.detail.strip(),
                title_en=item.title_en.strip(), detail_en=item.detail_en.strip())
        for index, item in enumerate(data.findings)
    ]
    outbrief.updated_at = clock.now()


def create_outbrief(actor: User, data: OutbriefInput) -> Outbrief:
    """A new outbrief, kept as a draft until staff deliver it."""
    _validated(data)
    outbrief = Outbrief(status=rules.DRAFT, created_by_id=actor.id, created_at=clock.now())
    _apply(outbrief, data)
    db.session.add(outbrief)
    db.session.flush()
    record(actor, "outbrief.created", outbrief, outbrief.organization_id, title=outbrief.title)
    return outbrief


def update_outbrief(actor: User, outbrief: Outbrief, data: OutbriefInput) -> Outbrief:
    """Edit a draft; once delivered, the customer's copy is what it is."""
    if outbrief.status != rules.DRAFT:
        raise NotAllowed(_l("Only a draft can be edited; this outbrief is already delivered."))
    _validated(data)
    _apply(outbrief, data)
    db.session.flush()
    record(actor, "outbrief.updated", outbrief, outbrief.organization_id)
    return outbrief


MISSING_MESSAGES = {
    "summary": _l("a summary of key findings"),
    "findings": _l("at least one finding with its risk"),
    "recommendations": _l("at least one recommendation"),
}


def deliver(actor: User, outbrief: Outbrief) -> Outbrief:
    """Deliver a complete draft to the customer and tell its administrators."""
    if not rules.can_change(outbrief.status, rules.DELIVERED):
        raise NotAllowed(_l("This outbrief is already delivered."))
    missing = rules.missing_for_delivery(outbrief.summary, len(outbrief.findings),
                                         len(outbrief.recommendations))
    if missing:
        separator = str(_l(", "))  # 、 in Japanese
        raise NotAllowed(
            _l("Before delivery, add %(missing)s.",
               missing=separator.join(str(MISSING_MESSAGES[item]) for item in missing)),
            {item: str(MISSING_MESSAGES[item]) for item in missing})
    outbrief.status = rules.DELIVERED
    outbrief.delivered_at = clock.now()
    outbrief.delivered_by_id = actor.id
    db.session.flush()
    record(actor, "outbrief.delivered", outbrief, outbrief.organization_id)
    for admin in _customer_admins(outbrief.organization_id):
        send_template(admin, "outbrief_delivered", outbrief=outbrief,
                      organization=outbrief.organization)
    return outbrief


def decide(actor: User, outbrief: Outbrief, accept: bool) -> Outbrief:
    """The customer administrator accepts or declines a delivered outbrief (declining lapses it)."""
    new = rules.ACCEPTED if accept else rules.DECLINED
    if not rules.can_change(outbrief.status, new):
        raise NotAllowed(_l("Only a delivered outbrief can be accepted or declined."))
    outbrief.status = new
    outbrief.decided_at = clock.now()
    outbrief.decided_by_id = actor.id
    db.session.flush()
    record(actor, f"outbrief.{new}", outbrief, outbrief.organization_id)
    return outbrief


def _customer_admins(org_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.organization_id == org_id, User.role == Role.CUSTOMER_ADMIN, User.active.is_(True))))


def outbrief_for(user: User, outbrief_id: int) -> Outbrief:
    """The outbrief if `user` may see it: staff any, customers their organisation's non-drafts."""
    outbrief = tenancy.visible(Outbrief, outbrief_id, user)
    if outbrief is None or not (user.is_staff or outbrief.status in rules.CUSTOMER_VISIBLE):
        raise NotFound(_l("No such document."))
    return outbrief


def visible_outbriefs(org_id: int) -> list[Outbrief]:
    """An organisation's outbriefs as its customers see them: delivered or decided, newest first."""
    return list(db.session.scalars(
        select(Outbrief).where(Outbrief.organization_id == org_id,
                               Outbrief.status.in_(rules.CUSTOMER_VISIBLE))
        .order_by(Outbrief.engagement_end.desc(), Outbrief.id.desc())))


def all_outbriefs(org_id: int | None = None) -> list[Outbrief]:
    """Every outbrief for the back office, those due soonest first."""
    query = select(Outbrief).order_by(Outbrief.engagement_end, Outbrief.id)
    if org_id is not None:
        query = query.where(Outbrief.organization_id == org_id)
    return list(db.session.scalars(query))


def obligation(outbrief: Outbrief) -> rules.Obligation:
    """Where the outbrief's delivery obligation stands today (JST)."""
    delivered_on = _jst_day(outbrief.delivered_at) if outbrief.delivered_at else None
    return rules.obligation(outbrief.engagement_end, outbrief.status, _jst_day(clock.now()),
                            delivered_on)


def _jst_day(instant):
    return instant.astimezone(JST).date()


def parse_document_id(document_id: str) -> tuple[str, int | None] | None:
    """("service_plan", None) or ("outbrief", n) for "service-plan" / "outbrief-n" (or a bare n)."""
    if document_id == SERVICE_PLAN_ID:
        return ("service_plan", None)
    number = document_id.removeprefix(OUTBRIEF_PREFIX)
    if number.isascii() and number.isdigit() and len(number) < 10:
        return ("outbrief", int(number))
    return None


def record_download(user: User, organization_id: int, kind: str, language: str,
                    outbrief_id: int | None = None) -> DocumentDownload:
    """Note who downloaded which document of which organisation, when, in which language."""
    row = DocumentDownload(at=clock.now(), user_id=user.id, organization_id=organization_id,
                           document_kind=kind, outbrief_id=outbrief_id, language=language)
    db.session.add(row)
    db.session.flush()
    return row


def downloads(org_id: int | None = None, outbrief_id: int | None = None,
              limit: int = 200) -> list[DocumentDownload]:
    """The download record, newest first, for one organisation or outbrief or all of them."""
    query = select(DocumentDownload).order_by(DocumentDownload.at.desc(), DocumentDownload.id.desc())
    if org_id is not None:
        query = query.where(DocumentDownload.organization_id == org_id)
    if outbrief_id is not None:
        query = query.where(DocumentDownload.outbrief_id == outbrief_id)
    return list(db.session.scalars(query.limit(limit)))
