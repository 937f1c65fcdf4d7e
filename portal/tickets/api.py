"""/api/v1/tickets: the same services as the pages, in JSON."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from portal.accounts.models import Organization
from portal.core.i18n import _
from portal.core.money import money_json
from portal.db import db
from portal.errors import api_error
from portal.tickets import queries, ranking, services
from portal.tickets.api_schemas import PATHS, SCHEMAS
from portal.tickets.interfaces import OverageConfirmationRequired, TicketError
from portal.web.api import api_user, bp, instant
from portal.web.openapi import register

register(PATHS, SCHEMAS)


def ticket_json(ticket) -> dict:
    org, tz = ticket.organization, ticket.organization.timezone
    return {
        "id": ticket.id, "number": ticket.number, "kind": ticket.kind,
        "severity": ticket.severity, "azure_component": ticket.azure_component,
        "status": ticket.status, "subject": ticket.subject, "product": ticket.product,
        "source": ticket.source,
        "organization": {"id": org.id, "slug": org.slug, "name": org.name},
        "received_at": instant(ticket.received_at, tz),
        "response_due_at": instant(ticket.response_due_at, tz),
        "first_response_at": instant(ticket.first_response_at, tz),
        "response_met": ticket.response_met, "month": ticket.month, "rank": ticket.rank,
        "overage": ticket.overage, "voided": ticket.voided, "counted": ticket.counted,
        "out_of_scope": ticket.out_of_scope,
    }


def message_json(message, tz: str) -> dict:
    author = message.author
    return {"id": message.id, "body": message.body, "internal": message.internal,
            "created_at": instant(message.created_at, tz),
            "author": {"name": author.name if author else None,
                       "role": author.role if author else None}}


def json_body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def ticket_error(error: TicketError):
    fields = {error.field: str(error.message)} if error.field else None
    if isinstance(error, OverageConfirmationRequired):
        return api_error(409, str(error.message), error.code, fields, fee=money_json(error.fee),
                         rank=error.rank, included=error.included)
    return api_error(error.status, str(error.message), error.code, fields)


def _ticket_or_404(ticket_id: int):
    ticket = queries.get_ticket(api_user(), ticket_id)
    if ticket is None:
        return None, api_error(404, _("No such request."))
    return ticket, None


def _text(body: dict, name: str, limit: int) -> str:
    value = body.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


@bp.get("/tickets")
def list_tickets():
    args = request.args
    try:
        page, per_page = max(int(args.get("page", 1)), 1), min(max(int(args.get("per_page", 20)), 1), 100)
    except ValueError:
        return api_error(422, _("page and per_page must be whole numbers."), fields={"page": "int"})
    q = args.get("q", "")[:100]
    result = queries.list_tickets(api_user(), queries.TicketFilter(
        status=args.get("status", ""), kind=args.get("kind", ""), q=q, page=page, per_page=per_page))
    items = [ticket_json(t) for t in result.items]
    if q.strip():  # a search: each item with the passage that matched (escaped, <mark>ed)
        for item in items:
            item["match"] = {"snippet": str(result.snippets.get(item["id"], ""))}
    return jsonify({"items": items, "page": page, "per_page": per_page, "total": result.total})


@bp.post("/tickets")
def create_ticket():
    body, user = json_body(), api_user()
    org = None
    if user.is_staff:
        org = db.session.scalar(select(Organization).where(
            Organization.slug == str(body.get("organization", ""))))
        if org is None:
            return api_error(422, _("Choose the organisation."), fields={"organization": "unknown"})
    try:
        ticket = services.file_ticket(
            user, kind=_text(body, "kind", 10), severity=body.get("severity") or None,
            azure_component=body.get("azure_component") is True, subject=_text(body, "subject", 200),
            body=_text(body, "body", 20000), product=_text(body, "product", 200),
            source="provider" if user.is_staff else "api",
            acknowledge_overage=body.get("acknowledge_overage") is True, organization=org)
    except TicketError as error:
        return ticket_error(error)
    return jsonify(ticket_json(ticket)), 201


@bp.get("/tickets/<int:ticket_id>")
def get_ticket(ticket_id: int):
    ticket, missing = _ticket_or_404(ticket_id)
    if missing:
        return missing
    messages, _files = queries.thread(ticket, include_internal=api_user().is_staff)
    tz = ticket.organization.timezone
    return jsonify({**ticket_json(ticket), "body": ticket.body,
                    "messages": [message_json(m, tz) for m in messages]})


@bp.post("/tickets/<int:ticket_id>/messages")
def post_message(ticket_id: int):
    ticket, missing = _ticket_or_404(ticket_id)
    if missing:
        return missing
    body = json_body()
    try:
        message = services.add_message(ticket, api_user(), _text(body, "body", 20000),
                                       internal=body.get("internal") is True)
    except TicketError as error:
        return ticket_error(error)
    return jsonify(message_json(message, ticket.organization.timezone)), 201


def _staff_only():
    return None if api_user().is_staff else api_error(403, _("Only provider staff can do this."))


@bp.patch("/tickets/<int:ticket_id>")
def patch_ticket(ticket_id: int):
    refused = _staff_only()
    ticket, missing = (None, refused) if refused else _ticket_or_404(ticket_id)
    if missing:
        return missing
    body = json_body()
    try:
        if body.get("severity") and body["severity"] != ticket.severity:
            services.change_severity(ticket, api_user(), str(body["severity"]),
                                     _text(body, "reason", 2000))
        if body.get("status"):
            services.change_status(ticket, api_user(), str(body["status"]))
    except TicketError as error:
        return ticket_error(error)
    db.session.flush()
    return jsonify(ticket_json(ticket))


@bp.post("/tickets/<int:ticket_id>/void")
def void_ticket(ticket_id: int):
    refused = _staff_only()
    ticket, missing = (None, refused) if refused else _ticket_or_404(ticket_id)
    if missing:
        return missing
    try:
        ranking.void(ticket, api_user(), _text(json_body(), "reason", 2000))
    except TicketError as error:
        return ticket_error(error)
    db.session.flush()
    db.session.refresh(ticket)
    return jsonify(ticket_json(ticket))
