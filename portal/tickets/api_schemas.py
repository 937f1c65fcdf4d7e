"""OpenAPI description of the ticket and usage endpoints."""
from __future__ import annotations

from portal.web.openapi import error_responses, ok

NULLABLE_STRING = {"type": ["string", "null"]}
MONEY = {"type": "object", "required": ["amount", "currency"],
         "properties": {"amount": {"type": "integer"}, "currency": {"const": "JPY"}}}

TICKET = {
    "type": "object",
    "required": ["id", "number", "kind", "severity", "azure_component", "status", "subject",
                 "organization", "received_at", "response_due_at", "first_response_at", "month",
                 "rank", "overage", "voided"],
    "properties": {
        "id": {"type": "integer"}, "number": {"type": "string"},
        "kind": {"enum": ["question", "incident"]},
        "severity": {"enum": ["1", "A", "B", "C", None]},
        "azure_component": {"type": "boolean"},
        "status": {"enum": ["new", "in_progress", "waiting_for_customer", "resolved", "closed"]},
        "subject": {"type": "string"}, "product": {"type": "string"},
        "source": {"enum": ["portal", "api", "email", "provider"]},
        "organization": {"$ref": "#/components/schemas/OrganizationRef"},
        "received_at": {"type": "string", "format": "date-time"},
        "response_due_at": {"type": "string", "format": "date-time"},
        "first_response_at": {"type": ["string", "null"], "format": "date-time"},
        "response_met": {"type": ["boolean", "null"]},
        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        "rank": {"type": ["integer", "null"]}, "overage": {"type": "boolean"},
        "voided": {"type": "boolean"}, "counted": {"type": "boolean"},
        "out_of_scope": NULLABLE_STRING,
        "match": {"type": "object", "required": ["snippet"], "description": "with `q` only",
                  "properties": {"snippet": {
                      "type": "string", "description": "the matching passage, HTML-escaped, "
                      "the words found in <mark>…</mark>"}}},
    },
}
MESSAGE = {
    "type": "object", "required": ["id", "author", "body", "created_at", "internal"],
    "properties": {
        "id": {"type": "integer"}, "body": {"type": "string"}, "internal": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "author": {"type": "object", "required": ["name", "role"],
                   "properties": {"name": NULLABLE_STRING, "role": NULLABLE_STRING}},
    },
}
TICKET_DETAIL = {"allOf": [{"$ref": "#/components/schemas/Ticket"}, {
    "type": "object", "required": ["messages", "body"],
    "properties": {"body": {"type": "string"},
                   "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}}}]}
TICKET_PAGE = {
    "type": "object", "required": ["items", "page", "per_page", "total"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}},
                   "page": {"type": "integer"}, "per_page": {"type": "integer"},
                   "total": {"type": "integer", "description": "with `q` on PostgreSQL counted "
                             "up to 1,000: 1,000 then means at least that many"}},
}
NEW_TICKET = {
    "type": "object", "required": ["kind", "subject", "body"],
    "properties": {
        "kind": {"enum": ["question", "incident"]}, "severity": {"enum": ["1", "A", "B", "C"]},
        "azure_component": {"type": "boolean"}, "subject": {"type": "string", "maxLength": 200},
        "body": {"type": "string"}, "product": {"type": "string"},
        "acknowledge_overage": {"type": "boolean"},
        "organization": {"type": "string", "description": "staff only: the organisation's slug"},
    },
}
USAGE = {
    "type": "object",
    "required": ["month", "included", "counted", "overage_count", "overage_unit_price",
                 "overage_fee", "review_suggested", "requests"],
    "properties": {
        "month": {"type": "string"}, "included": {"type": "integer"},
        "counted": {"type": "integer"}, "overage_count": {"type": "integer"},
        "overage_unit_price": {"$ref": "#/components/schemas/Money"},
        "overage_fee": {"$ref": "#/components/schemas/Money"},
        "review_suggested": {"type": "boolean"},
        "requests": {"type": "array", "items": {
            "type": "object", "required": ["id", "number", "received_at", "rank", "overage", "voided"],
            "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                           "received_at": {"type": "string", "format": "date-time"},
                           "rank": {"type": ["integer", "null"]}, "overage": {"type": "boolean"},
                           "voided": {"type": "boolean"}}}},
    },
}


def _json_body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


PATHS = {
    "/api/v1/tickets": {
        "get": {"summary": "Requests the user may see", "parameters": [
            {"name": n, "in": "query", "schema": {"type": t}} for n, t in
            (("status", "string"), ("kind", "string"), ("q", "string"), ("page", "integer"),
             ("per_page", "integer"))],
            "responses": {**ok("TicketPage"), **error_responses(401, 422)}},
        "post": {"summary": "File a request", "requestBody": _json_body(NEW_TICKET),
                 "responses": {**ok("Ticket", 201), **error_responses(401, 409, 422)}},
    },
    "/api/v1/tickets/{id}": {
        "get": {"summary": "A request with its thread (customers never get internal notes)",
                "responses": {**ok("TicketDetail"), **error_responses(401, 404)}},
        "patch": {"summary": "Staff: change status or severity (a severity change needs a reason)",
                  "requestBody": _json_body({"type": "object", "properties": {
                      "status": {"type": "string"}, "severity": {"type": "string"},
                      "reason": {"type": "string"}}}),
                  "responses": {**ok("Ticket"), **error_responses(401, 403, 404, 422)}},
    },
    "/api/v1/tickets/{id}/messages": {
        "post": {"summary": "Reply (staff may write internal notes)",
                 "requestBody": _json_body({"type": "object", "required": ["body"], "properties": {
                     "body": {"type": "string"}, "internal": {"type": "boolean"}}}),
                 "responses": {**ok("Message", 201), **error_responses(401, 403, 404, 422)}},
    },
    "/api/v1/tickets/{id}/void": {
        "post": {"summary": "Staff: void a request; later requests of the month move up",
                 "requestBody": _json_body({"type": "object", "required": ["reason"],
                                            "properties": {"reason": {"type": "string"}}}),
                 "responses": {**ok("Ticket"), **error_responses(401, 403, 404, 422)}},
    },
    "/api/v1/usage": {
        "get": {"summary": "The month's allowance and overage", "parameters": [
            {"name": "month", "in": "query", "schema": {"type": "string"}},
            {"name": "organization", "in": "query", "schema": {"type": "string"}}],
            "responses": {**ok("Usage"), **error_responses(401, 404, 422)}},
    },
}
SCHEMAS = {"Ticket": TICKET, "Message": MESSAGE, "TicketDetail": TICKET_DETAIL,
           "TicketPage": TICKET_PAGE, "Usage": USAGE, "Money": MONEY}
