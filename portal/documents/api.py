"""/api/v1 documents: the list, PDF downloads, and the staff's outbrief endpoints."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.core.i18n import _
from portal.db import db
from portal.documents import files, services
from portal.documents.interfaces import (
    DocumentsError,
    FindingInput,
    FontMissing,
    NotFound,
    OutbriefInput,
)
from portal.documents.responses import font_missing_message, pdf_response
from portal.errors import api_error
from portal.web.api import api_user, bp
from portal.web.openapi import error_responses, ok, register


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


def _organization(slug: str | None):
    return db.session.scalar(select(Organization).where(Organization.slug == (slug or "")))


@bp.get("/documents")
def list_documents():
    """Customers: their organisation's delivered outbriefs and the service plan. Staff: every
    outbrief (drafts too), of one organisation with ?organization=SLUG, plus its service plan."""
    user = api_user()
    if not user.is_staff:
        org = user.organization
        items = [document_json(o) for o in services.visible_outbriefs(org.id)]
        return jsonify({"items": [*items, service_plan_json(org)]})
    slug = request.args.get("organization")
    org = _organization(slug) if slug else None
    if slug and org is None:
        return api_error(404, _("No such organisation."))
    items = [document_json(o) for o in services.all_outbriefs(org.id if org else None)]
    return jsonify({"items": [*items, *([service_plan_json(org)] if org else [])]})


@bp.get("/documents/<document_id>.pdf")
def download_document(document_id: str):
    user = api_user()
    try:
        lang = files.check_language(request.args.get("lang"), user.locale)
        pdf = files.document_pdf(user, document_id, lang, request.args.get("organization"))
    except NotFound:
        return api_error(404, _("No such document."))
    except DocumentsError as error:
        return api_error(400, str(error.message), fields=error.fields)
    except FontMissing:
        return api_error(503, font_missing_message(), code="font_missing")
    return pdf_response(pdf)


def _staff_only():
    if not api_user().is_staff:
        return api_error(403, _("Only provider staff may do this."))
    return None


@bp.post("/outbriefs")
def create_outbrief():
    refused = _staff_only()
    if refused:
        return refused
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, _("Send a JSON object."))
    data, errors = _parse(body)
    if errors:
        return api_error(422, _("Please correct the marked fields."), fields=errors)
    try:
        outbrief = services.create_outbrief(api_user(), data)
    except DocumentsError as error:
        return api_error(422, str(error.message),
                         fields={key: str(value) for key, value in error.fields.items()})
    return jsonify(document_json(outbrief)), 201


@bp.post("/outbriefs/<outbrief_id>/deliver")
def deliver_outbrief(outbrief_id: str):
    refused = _staff_only()
    if refused:
        return refused
    parsed = services.parse_document_id(outbrief_id)
    try:
        if parsed is None or parsed[0] != "outbrief":
            raise NotFound(_("No such document."))
        outbrief = services.outbrief_for(api_user(), parsed[1])
        services.deliver(api_user(), outbrief)
    except NotFound:
        return api_error(404, _("No such document."))
    except DocumentsError as error:
        return api_error(409, str(error.message), code="conflict",
                         fields={key: str(value) for key, value in error.fields.items()})
    return jsonify(document_json(outbrief))


def _parse(body: dict) -> tuple[OutbriefInput | None, dict[str, str]]:
    """The JSON body as an OutbriefInput, or the field errors that prevent it."""
    errors: dict[str, str] = {}
    org = _organization(body.get("organization")) if isinstance(body.get("organization"), str) else None
    if org is None:
        errors["organization"] = _("Give the slug of an existing organisation.")
    start, end = _date(body, "engagement_start", errors), _date(body, "engagement_end", errors)
    texts = {key: body.get(key, "") for key in ("title", "summary")}
    for key, value in texts.items():
        if not isinstance(value, str):
            errors[key] = _("Must be text.")
    findings = _findings(body.get("findings", []), errors)
    recommendations = body.get("recommendations", [])
    if not isinstance(recommendations, list) or not all(isinstance(t, str) for t in recommendations):
        errors["recommendations"] = _("Must be a list of texts.")
    kind = body.get("kind", "incident_response")
    if errors:
        return None, errors
    return OutbriefInput(
        organization_id=org.id, kind=kind if isinstance(kind, str) else "",
        title=texts["title"], engagement_start=start, engagement_end=end,
        summary=texts["summary"], findings=findings,
        recommendations=tuple(recommendations)), {}


def _date(body: dict, key: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(body[key])
    except (KeyError, TypeError, ValueError):
        errors[key] = _("Give a date as YYYY-MM-DD.")
        return None


def _findings(items, errors: dict) -> tuple[FindingInput, ...]:
    valid = isinstance(items, list) and all(
        isinstance(item, dict) and all(isinstance(item.get(k, ""), str)
                                       for k in ("title", "risk", "detail"))
        for item in items)
    if not valid:
        errors["findings"] = _("Must be a list of {title, risk, detail}.")
        return ()
    return tuple(FindingInput(item.get("title", ""), item.get("risk", ""), item.get("detail", ""))
                 for item in items)


from portal.documents import api_spec  # noqa: E402

register(api_spec.paths(error_responses, ok), api_spec.SCHEMAS)
