"""/api/v1/tickets: the same services as the pages, in JSON. Bodies, queries and answers are
the models of portal/tickets/api_schemas.py; errors are the services' DomainErrors."""
from __future__ import annotations

from flask import abort

from portal.accounts.tenancy import organization_by_slug
from portal.core import clock
from portal.core.i18n import _
from portal.core.months import month_of
from portal.db import db
from portal.tickets import api_schemas as schemas
from portal.tickets import lifecycle, queries, services, survey, survey_figures, watchers
from portal.tickets.interfaces import TicketError
from portal.web.api import api_user, instant, operation


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
        "out_of_scope_exclusion": (lifecycle.exclusion(ticket.out_of_scope) or {}).get("no"),
        "follow_up_of": {"id": ticket.follow_up_of.id, "number": ticket.follow_up_of.number}
        if ticket.follow_up_of else None,
    }


def message_json(message, tz: str) -> dict:
    author = message.author
    return {"id": message.id, "body": message.body, "internal": message.internal,
            "created_at": instant(message.created_at, tz),
            "author": {"name": author.name if author else None,
                       "role": author.role if author else None}}


def _ticket_or_404(ticket_id: int):
    ticket = queries.get_ticket(api_user(), ticket_id)
    if ticket is None:
        abort(404, _("No such request."))
    return ticket


def _staff_only() -> None:
    if not api_user().is_staff:
        abort(403, _("Only provider staff can do this."))


@operation("get", "/tickets", summary="Requests the user may see (customers: their "
           "organisation's)", query=schemas.TicketQuery, answer=schemas.TicketPage)
def list_tickets(query: schemas.TicketQuery):
    result = queries.list_tickets(api_user(), queries.TicketFilter(
        status=query.status or "", kind=query.kind or "", q=query.q, page=query.page,
        per_page=query.per_page))
    items = [ticket_json(t) for t in result.items]
    if query.q.strip():  # a search: each item with the passage that matched (escaped, <mark>ed)
        for item in items:
            item["match"] = {"snippet": str(result.snippets.get(item["id"], ""))}
    return {"items": items, "page": query.page, "per_page": query.per_page, "total": result.total,
            "total_capped": result.more}


@operation("post", "/tickets", summary="File a request", body=schemas.NewTicket,
           answer=schemas.Ticket, status=201, errors=(403, 409),
           description="409 `overage_confirmation_required` (with `fee`) when the request "
                       "would be overage and `acknowledge_overage` is not true.")
def create_ticket(body: schemas.NewTicket):
    user = api_user()
    org = None
    if user.is_staff:
        org = organization_by_slug(body.organization or "")
        if org is None:
            raise TicketError(_("Choose the organisation."), "organization")
    ticket = services.file_ticket(
        user, kind=body.kind, severity=body.severity, azure_component=body.azure_component,
        subject=body.subject, body=body.body, product=body.product,
        source="provider" if user.is_staff else "api",
        acknowledge_overage=body.acknowledge_overage, organization=org)
    return ticket_json(ticket)


@operation("get", "/tickets/<int:ticket_id>",
           summary="A request with its thread (customers never get internal notes)",
           answer=schemas.TicketDetail)
def get_ticket(ticket_id: int):
    ticket = _ticket_or_404(ticket_id)
    messages, _files = queries.thread(ticket, include_internal=api_user().is_staff)
    tz = ticket.organization.timezone
    return {**ticket_json(ticket), "body": ticket.body,
            "messages": [message_json(m, tz) for m in messages]}


@operation("post", "/tickets/<int:ticket_id>/messages",
           summary="Reply (staff may write internal notes); a customer's reply reopens a "
           "resolved request, and files a follow-up of a closed one", body=schemas.NewMessage,
           answer=schemas.Reply, status=201, errors=(403, 409),
           description="To a closed request: `follow_up` names the new request filed; 409 "
                       "`overage_confirmation_required` when it would be overage and "
                       "`acknowledge_overage` is not true.")
def post_message(ticket_id: int, body: schemas.NewMessage):
    ticket = _ticket_or_404(ticket_id)
    user = api_user()
    answer = lifecycle.reply(ticket, user, body.body, internal=body.internal,
                             acknowledge_overage=body.acknowledge_overage, source="api")
    if answer.message is not None:
        return {**message_json(answer.message, ticket.organization.timezone), "follow_up": None}
    db.session.flush()
    return {"id": None, "body": answer.ticket.body, "internal": False,
            "created_at": instant(answer.ticket.received_at, ticket.organization.timezone),
            "author": {"name": user.name, "role": user.role},
            "follow_up": {"id": answer.ticket.id, "number": answer.ticket.number}}


@operation("patch", "/tickets/<int:ticket_id>",
           summary="Staff: change status or severity (a severity change needs a reason)",
           body=schemas.TicketChange, answer=schemas.Ticket, errors=(403,))
def patch_ticket(ticket_id: int, body: schemas.TicketChange):
    _staff_only()
    ticket = _ticket_or_404(ticket_id)
    if body.severity and body.severity != ticket.severity:
        services.change_severity(ticket, api_user(), body.severity, body.reason)
    if body.status:
        services.change_status(ticket, api_user(), body.status)
    db.session.flush()
    return ticket_json(ticket)


@operation("post", "/tickets/<int:ticket_id>/void",
           summary="Staff: void a request; it is closed, later requests of the month move up, "
           "the customer is told", body=schemas.Void, answer=schemas.Ticket, errors=(403,))
def void_ticket(ticket_id: int, body: schemas.Void):
    _staff_only()
    ticket = _ticket_or_404(ticket_id)
    lifecycle.void(ticket, api_user(), body.reason)
    db.session.flush()
    db.session.refresh(ticket)
    return ticket_json(ticket)


@operation("post", "/tickets/<int:ticket_id>/out-of-scope",
           summary="Staff: mark a request out of scope (terms [10]); it leaves the ranking and "
           "is billed at the standard rate; the customer is told", body=schemas.OutOfScope,
           answer=schemas.Ticket, errors=(403,))
def out_of_scope_ticket(ticket_id: int, body: schemas.OutOfScope):
    _staff_only()
    ticket = _ticket_or_404(ticket_id)
    lifecycle.mark_out_of_scope(ticket, api_user(), body.exclusion, body.reason)
    db.session.flush()
    db.session.refresh(ticket)
    return ticket_json(ticket)


def _watchers_json(ticket) -> dict:
    return {"items": [{"user_id": person.id, "name": person.name, "email": person.email}
                      for person in services.watching(ticket)]}


@operation("get", "/tickets/<int:ticket_id>/watchers",
           summary="Colleagues copied on the request's mails", answer=schemas.WatcherList)
def list_watchers(ticket_id: int):
    return _watchers_json(_ticket_or_404(ticket_id))


@operation("post", "/tickets/<int:ticket_id>/watchers",
           summary="Copy a colleague of the same organisation (the requester, a customer "
           "administrator or staff); any other address is a 422", body=schemas.NewWatcher,
           answer=schemas.WatcherList, status=201, errors=(403,))
def add_watcher(ticket_id: int, body: schemas.NewWatcher):
    ticket = _ticket_or_404(ticket_id)
    watchers.add(ticket, api_user(), body.email)
    return _watchers_json(ticket)


@operation("delete", "/tickets/<int:ticket_id>/watchers/<int:user_id>",
           summary="Stop copying a colleague", answer=schemas.WatcherList, errors=(403,))
def remove_watcher(ticket_id: int, user_id: int):
    ticket = _ticket_or_404(ticket_id)
    if not watchers.remove(ticket, api_user(), user_id):
        abort(404, _("No such watcher."))
    return _watchers_json(ticket)


@operation("post", "/tickets/<int:ticket_id>/satisfaction",
           summary="The requester rates a resolved request (changeable for 14 days)",
           body=schemas.NewRating, answer=schemas.RatingAnswer, errors=(403,))
def rate_ticket(ticket_id: int, body: schemas.NewRating):
    ticket = _ticket_or_404(ticket_id)
    given = survey.rate(ticket, api_user(), body.rating, body.comment)
    return {"rating": given.rating, "comment": given.comment,
            "rated_at": instant(given.rated_at, ticket.organization.timezone)}


@operation("get", "/satisfaction", summary="Staff: the satisfaction survey's figures of a month",
           query=schemas.SatisfactionQuery, answer=schemas.Satisfaction, errors=(403, 404),
           description="Answered surveys of the requests resolved in the month; `organization` "
                       "narrows them to one (unknown is a 404).")
def satisfaction(query: schemas.SatisfactionQuery):
    _staff_only()
    org = None
    if query.organization:
        org = organization_by_slug(query.organization)
        if org is None:
            abort(404, _("No such organisation."))
    month = query.month or month_of(clock.now())
    org_id = org.id if org else None
    figures = survey_figures.summary(month, org_id)
    return {"month": month, "count": figures.count, "average": figures.average,
            "by_rating": figures.by_rating,
            "items": [{"ticket": item.ticket.number, "rating": item.rating,
                       "comment": item.comment,
                       "rated_at": instant(item.rated_at, item.ticket.organization.timezone)}
                      for item in survey_figures.items(month, org_id)]}
