"""/api/v1 documents: the list, PDF downloads, and the staff's outbrief endpoints."""
from __future__ import annotations

from flask import abort

from portal.accounts.tenancy import organization_by_slug
from portal.core.i18n import _
from portal.documents import api_schemas as schemas
from portal.documents import files, services
from portal.documents.interfaces import FindingInput, FontMissing, NotFound, OutbriefInput
from portal.documents.responses import font_missing_message, pdf_response
from portal.errors import api_error
from portal.web.api import api_user, operation


def document_json(outbrief) -> dict:
    org = outbrief.organization
    return {
        "id": outbrief.document_id, "kind": "outbrief", "title": outbrief.title,
        "status": outbrief.status, "due_on": outbrief.due_on.isoformat(),
        "outbrief_id": outbrief.id,
        "organization": {"id": org.id, "slug": org.slug, "name": org.name},
        "engagement_start": outbrief.engagement_start.isoformat(),
        "engagement_end": outbrief.engagement_end.isoformat(),
        "overdue": services.obligation(outbrief).overdue,
    }


def service_plan_json(org) -> dict:
    return {"id": services.SERVICE_PLAN_ID, "kind": "service_plan", "title": _("Service plan"),
            "status": "current", "due_on": None,
            "organization": {"id": org.id, "slug": org.slug, "name": org.name}}


@operation("get", "/documents", summary="Outbriefs the caller may see, and the service plan",
           query=schemas.DocumentsQuery, answer=schemas.DocumentList, errors=(404,))
def list_documents(query: schemas.DocumentsQuery):
    """Customers: their organisation's delivered outbriefs and the service plan. Staff: every
    outbrief (drafts too), of one organisation with ?organization=SLUG, plus its service plan."""
    user = api_user()
    if not user.is_staff:
        org = user.organization
        items = [document_json(o) for o in services.visible_outbriefs(org.id)]
        return {"items": [*items, service_plan_json(org)]}
    org = organization_by_slug(query.organization) if query.organization else None
    if query.organization and org is None:
        abort(404, _("No such organisation."))
    items = [document_json(o) for o in services.all_outbriefs(org.id if org else None)]
    return {"items": [*items, *([service_plan_json(org)] if org else [])]}


@operation("get", "/documents/<document_id>.pdf", query=schemas.PdfQuery, errors=(404, 503),
           summary="A document as a PDF, stamped for the caller; the download is recorded",
           content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}})
def download_document(document_id: str, query: schemas.PdfQuery):
    user = api_user()
    try:
        lang = files.check_language(query.lang, user.locale)
        pdf = files.document_pdf(user, document_id, lang, query.organization)
    except NotFound:
        abort(404, _("No such document."))
    except FontMissing:
        response, status = api_error(503, font_missing_message(), code="font_missing")
        response.status_code = status
        return response
    return pdf_response(pdf)


def _staff_only() -> None:
    if not api_user().is_staff:
        abort(403, _("Only provider staff may do this."))


@operation("post", "/outbriefs", summary="Staff: write an outbrief (kept as a draft)",
           body=schemas.NewOutbrief, answer=schemas.Document, status=201, errors=(403,))
def create_outbrief(body: schemas.NewOutbrief):
    _staff_only()
    org = organization_by_slug(body.organization)
    data = OutbriefInput(
        organization_id=org.id if org else None, kind=body.kind, title=body.title,
        engagement_start=body.engagement_start, engagement_end=body.engagement_end,
        summary=body.summary,
        findings=tuple(FindingInput(f.title, f.risk, f.detail, f.title_en, f.detail_en)
                       for f in body.findings),
        recommendations=tuple(body.recommendations), title_en=body.title_en,
        summary_en=body.summary_en, recommendations_en=tuple(body.recommendations_en))
    return document_json(services.create_outbrief(api_user(), data))


@operation("post", "/outbriefs/<outbrief_id>/deliver", answer=schemas.Document,
           summary="Staff: deliver a draft outbrief to the customer", errors=(403, 409))
def deliver_outbrief(outbrief_id: str):
    _staff_only()
    parsed = services.parse_document_id(outbrief_id)
    if parsed is None or parsed[0] != "outbrief":
        abort(404, _("No such document."))
    outbrief = services.outbrief_for(api_user(), parsed[1])
    services.deliver(api_user(), outbrief)
    return document_json(outbrief)
