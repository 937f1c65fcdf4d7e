"""The OpenAPI description of the workshop endpoints (registered by portal.workshops.api)."""
from __future__ import annotations

from portal.web.openapi import error_responses, ok

MONEY = {"type": "object", "required": ["amount", "currency"],
         "properties": {"amount": {"type": "integer"}, "currency": {"const": "JPY"}}}
DATE = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}
NULLABLE_INSTANT = {"oneOf": [INSTANT, {"type": "null"}]}
NULLABLE_ID = {"oneOf": [{"type": "integer"}, {"type": "null"}]}
WORKSHOP_REF = {"type": "object", "required": ["id", "title"],
                "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}
TIER = {"type": "object", "required": ["days_before", "percent"],
        "properties": {"days_before": {"type": "integer", "minimum": 0, "maximum": 13},
                       "percent": {"type": "integer", "minimum": 0, "maximum": 100}}}
ATTENDEE = {"type": "object", "required": ["name", "email"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}

SCHEMAS = {
    "Money": MONEY,
    "WorkshopSession": {
        "type": "object",
        "required": ["id", "workshop", "starts_on", "ends_on", "seats_left", "price", "pricing",
                     "status"],
        "properties": {
            "id": {"type": "integer"}, "workshop": WORKSHOP_REF, "starts_on": DATE,
            "ends_on": DATE, "seats_left": {"type": "integer", "minimum": 0},
            "capacity": {"type": "integer"}, "price": {"$ref": "#/components/schemas/Money"},
            "pricing": {"enum": ["per_attendee", "dedicated"]},
            "delivery": {"enum": ["remote", "onsite"]},
            "status": {"enum": ["scheduled", "cancelled"]},
        },
    },
    "WorkshopSessionList": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/WorkshopSession"}}}},
    "Workshop": {
        "type": "object",
        "required": ["id", "title_ja", "title_en", "days", "delivery", "pricing", "price",
                     "capacity", "min_attendees", "late_fee_tiers", "archived"],
        "properties": {
            "id": {"type": "integer"}, "title_ja": {"type": "string"},
            "title_en": {"type": "string"}, "description_ja": {"type": "string"},
            "description_en": {"type": "string"}, "days": {"type": "integer"},
            "delivery": {"enum": ["remote", "onsite"]},
            "pricing": {"enum": ["per_attendee", "dedicated"]},
            "price": {"$ref": "#/components/schemas/Money"}, "capacity": {"type": "integer"},
            "min_attendees": {"type": "integer"},
            "late_fee_tiers": {"type": "array", "items": TIER}, "archived": {"type": "boolean"},
        },
    },
    "WorkshopList": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Workshop"}}}},
    "Booking": {
        "type": "object",
        "required": ["id", "session_id", "status", "price", "attendees", "cancellation_deadline",
                     "fee_charged"],
        "properties": {
            "id": {"type": "integer"}, "session_id": {"type": "integer"},
            "organization": {"$ref": "#/components/schemas/OrganizationRef"},
            "workshop": WORKSHOP_REF, "starts_on": DATE, "ends_on": DATE,
            "status": {"enum": ["booked", "cancelled", "rescheduled"]},
            "price": {"$ref": "#/components/schemas/Money"},
            "attendees": {"type": "array", "items": ATTENDEE},
            "cancellation_deadline": INSTANT, "created_at": INSTANT,
            "fee_charged": {"$ref": "#/components/schemas/Money"},
            "fee_percent": {"type": "integer"}, "cancelled_at": NULLABLE_INSTANT,
            "cancelled_by_provider": {"type": "boolean"}, "contract_warning": {"type": "boolean"},
            "rescheduled_from": NULLABLE_ID, "rescheduled_to": NULLABLE_ID,
        },
    },
    "BookingList": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}},
    "CancellationQuote": {
        "type": "object", "required": ["deadline", "free", "fee", "percent"],
        "properties": {
            "deadline": INSTANT, "free": {"type": "boolean"},
            "fee": {"$ref": "#/components/schemas/Money"}, "percent": {"type": "integer"},
            "allowed": {"type": "boolean"}, "days_before": {"type": "integer"},
            "at": INSTANT, "reason": {"type": "string"},
        },
    },
}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _id(name: str) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}]


BOOKING_ID = _id("booking_id")
PATHS = {
    "/api/v1/workshops/sessions": {"get": {
        "summary": "Workshop sessions from today on, with seats left and price",
        "responses": {**ok("WorkshopSessionList"), **error_responses(401)}}},
    "/api/v1/workshops": {
        "get": {"summary": "The workshop catalogue",
                "responses": {**ok("WorkshopList"), **error_responses(401)}},
        "post": {"summary": "Add a workshop to the catalogue (staff)",
                 "requestBody": _body({"type": "object", "required": [
                     "title_ja", "title_en", "days", "pricing", "price", "capacity"],
                     "properties": {"late_fee_tiers": {"type": "array", "items": TIER}}}),
                 "responses": {**ok("Workshop", 201), **error_responses(400, 401, 403, 422)}},
    },
    "/api/v1/workshops/{workshop_id}/sessions": {"post": {
        "summary": "Schedule a session of a workshop (staff)",
        "parameters": _id("workshop_id"),
        "requestBody": _body({"type": "object", "required": ["starts_on"],
                              "properties": {"starts_on": DATE, "ends_on": DATE}}),
        "responses": {**ok("WorkshopSession", 201), **error_responses(400, 401, 403, 404, 422)}}},
    "/api/v1/bookings": {
        "get": {"summary": "The organisation's bookings (customer administrator; staff see all)",
                "responses": {**ok("BookingList"), **error_responses(401, 403)}},
        "post": {"summary": "Book a session for named attendees (customer administrator)",
                 "requestBody": _body({"type": "object", "required": ["session_id", "attendees"],
                                       "properties": {"session_id": {"type": "integer"},
                                                      "attendees": {"type": "array",
                                                                    "items": ATTENDEE}}}),
                 "responses": {**ok("Booking", 201),
                               **error_responses(400, 401, 403, 409, 422)}},
    },
    "/api/v1/bookings/{booking_id}": {"get": {
        "summary": "One booking", "parameters": BOOKING_ID,
        "responses": {**ok("Booking"), **error_responses(401, 403, 404)}}},
    "/api/v1/bookings/{booking_id}/cancellation-quote": {"get": {
        "summary": "What cancelling or rescheduling costs now (the 14-day rule)",
        "parameters": BOOKING_ID,
        "responses": {**ok("CancellationQuote"), **error_responses(401, 403, 404)}}},
    "/api/v1/bookings/{booking_id}/cancel": {"post": {
        "summary": "Cancel a booking; 409 fee_confirmation_required until acknowledge_fee is true",
        "parameters": BOOKING_ID,
        "requestBody": _body({"type": "object", "properties": {
            "acknowledge_fee": {"type": "boolean"}, "reason": {"type": "string"}}}),
        "responses": {**ok("Booking"), **error_responses(400, 401, 403, 404, 409)}}},
    "/api/v1/bookings/{booking_id}/reschedule": {"post": {
        "summary": "Move a booking to another session of the same workshop (same fee as cancelling)",
        "parameters": BOOKING_ID,
        "requestBody": _body({"type": "object", "required": ["session_id"], "properties": {
            "session_id": {"type": "integer"}, "acknowledge_fee": {"type": "boolean"},
            "reason": {"type": "string"}}}),
        "responses": {**ok("Booking", 201), **error_responses(400, 401, 403, 404, 409, 422)}}},
}
