"""The OpenAPI description of the documents endpoints (registered by portal/documents/api.py)."""
from __future__ import annotations

_ORG = {"$ref": "#/components/schemas/OrganizationRef"}

DOCUMENT = {
    "type": "object",
    "required": ["id", "kind", "title", "status", "due_on"],
    "properties": {
        "id": {"type": "string", "description": '"outbrief-N" or "service-plan"',
               "pattern": "^(outbrief-[0-9]+|service-plan)$"},
        "kind": {"enum": ["outbrief", "service_plan"]},
        "title": {"type": "string"},
        "status": {"enum": ["draft", "delivered", "accepted", "declined", "current"]},
        "due_on": {"oneOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "outbrief_id": {"type": "integer"},
        "organization": _ORG,
        "engagement_start": {"type": "string", "format": "date"},
        "engagement_end": {"type": "string", "format": "date"},
        "overdue": {"type": "boolean"},
    },
}

DOCUMENT_LIST = {
    "type": "object",
    "required": ["items"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}},
}

NEW_OUTBRIEF = {
    "type": "object",
    "required": ["organization", "title", "engagement_start", "engagement_end"],
    "properties": {
        "organization": {"type": "string", "description": "organisation slug"},
        "kind": {"enum": ["incident_response", "assessment", "security_exercise", "other"],
                 "default": "incident_response"},
        "title": {"type": "string", "maxLength": 200},
        "engagement_start": {"type": "string", "format": "date"},
        "engagement_end": {"type": "string", "format": "date"},
        "summary": {"type": "string"},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["title", "risk"],
            "properties": {"title": {"type": "string"}, "risk": {"enum": ["high", "medium", "low"]},
                           "detail": {"type": "string"}}}},
        "recommendations": {"type": "array", "items": {"type": "string"}},
    },
}

SCHEMAS = {"Document": DOCUMENT, "DocumentList": DOCUMENT_LIST, "NewOutbrief": NEW_OUTBRIEF}

_DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True,
                "schema": {"type": "string"}, "description": '"outbrief-N" or "service-plan"'}
_ORG_QUERY = {"name": "organization", "in": "query", "required": False,
              "schema": {"type": "string"}, "description": "staff: organisation slug"}


def paths(error_responses, ok) -> dict:
    return {
        "/api/v1/documents": {"get": {
            "summary": "Outbriefs the caller may see, and the service plan",
            "parameters": [_ORG_QUERY],
            "responses": {**ok("DocumentList"), **error_responses(401, 404, 429)},
        }},
        "/api/v1/documents/{document_id}.pdf": {"get": {
            "summary": "A document as a PDF, stamped for the caller; the download is recorded",
            "parameters": [_DOCUMENT_ID, _ORG_QUERY,
                           {"name": "lang", "in": "query", "required": False,
                            "schema": {"enum": ["ja", "en"]}}],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}},
                **error_responses(400, 401, 404, 429, 503)},
        }},
        "/api/v1/outbriefs": {"post": {
            "summary": "Staff: write an outbrief (kept as a draft)",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewOutbrief"}}}},
            "responses": {**ok("Document", 201), **error_responses(400, 401, 403, 422, 429)},
        }},
        "/api/v1/outbriefs/{outbrief_id}/deliver": {"post": {
            "summary": "Staff: deliver a draft outbrief to the customer",
            "parameters": [{"name": "outbrief_id", "in": "path", "required": True,
                            "schema": {"type": "string"}, "description": 'N or "outbrief-N"'}],
            "responses": {**ok("Document"), **error_responses(401, 403, 404, 409, 429)},
        }},
    }
