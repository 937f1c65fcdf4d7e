"""The OpenAPI 3 description of /api/v1; a test keeps it true to the routes and answers."""
from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object"},
        },
    }},
}

ORGANIZATION_REF = {
    "type": "object",
    "required": ["id", "slug", "name"],
    "properties": {"id": {"type": "integer"}, "slug": {"type": "string"},
                   "name": {"type": "string"}},
}

ME = {
    "type": "object",
    "required": ["id", "email", "name", "role", "locale", "organization"],
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": "string"},
        "name": {"type": "string"},
        "role": {"enum": ["customer_admin", "contact", "staff", "staff_admin"]},
        "locale": {"enum": ["ja", "en"]},
        "organization": {"oneOf": [{"$ref": "#/components/schemas/OrganizationRef"},
                                   {"type": "null"}]},
    },
}


def _error_responses(*codes: int) -> dict:
    return {str(code): {"description": "error",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}}}}
            for code in codes}


def _ok(schema_name: str) -> dict:
    return {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


PATHS: dict = {
    "/api/v1/me": {"get": {
        "summary": "The user the token acts for",
        "responses": {"200": _ok("Me"), **_error_responses(401, 429)},
    }},
    "/api/v1/openapi.json": {"get": {
        "summary": "This description",
        "security": [],
        "responses": {"200": {"description": "OpenAPI document"}},
    }},
}

SCHEMAS: dict = {"Error": ERROR, "OrganizationRef": ORGANIZATION_REF, "Me": ME}


def register(paths: dict, schemas: dict | None = None) -> None:
    """Each feature's api module adds its own paths and schemas at import time."""
    PATHS.update(paths)
    SCHEMAS.update(schemas or {})


def error_responses(*codes: int) -> dict:
    return _error_responses(*codes)


def ok(schema_name: str, status: int = 200) -> dict:
    return {str(status): _ok(schema_name)}


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Madoguchi API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "security": [{"bearer": []}],
        "paths": PATHS,
    }
