"""The OpenAPI 3.1 description of /api/v1, generated from the operations and their models.

Every route of the API is declared with `portal.web.api.operation`, which records here its path,
parameters, body, answer and the error statuses it can give; nothing is written twice. A test
compares the description with the URL map, and the hostile-input suite (schemathesis) checks
every answer against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from portal.db import ID_MAX
from portal.web.api_schemas import Error

PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON, not an object, or nested too deep",
    401: "No valid API token (`Authorization: Bearer TOKEN`)",
    403: "The token's user may not do this (for example a customer calling a staff endpoint)",
    404: "No such object, or another organisation's; also an id no row can have",
    409: "The object's state or a rule asks for something first (see `code`)",
    413: "The body is larger than the API accepts",
    422: "A field was refused: `fields` names each one, in the user's language",
    429: "Too many calls with this token; try again after X-RateLimit-Reset",
    503: "A dependency is missing (see `code`)",
}
_RULE_PARAM = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[A-Za-z_]\w*)>")


@dataclass
class Operation:
    method: str
    rule: str  # the Flask rule under /api/v1, e.g. /tickets/<int:ticket_id>
    summary: str
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    answer: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    public: bool = False
    content: dict | None = None  # a non-JSON answer, e.g. {"application/pdf": {...}}
    description: str = ""
    path_params: list[dict] = field(default_factory=list)

    @property
    def path(self) -> str:
        return PREFIX + _RULE_PARAM.sub(lambda m: "{" + m.group("name") + "}", self.rule)

    def statuses(self) -> list[int]:
        """Every error this operation can answer with: what the operation declares, plus
        what the machinery adds (token, rate limit, body and query checks, path ids)."""
        codes = set(self.errors) | {429}
        if not self.public:
            codes.add(401)
        if self.body is not None:
            codes |= {400, 413, 422}
        codes.add(422)  # any query parameter the operation does not know is refused
        if _RULE_PARAM.search(self.rule):
            codes.add(404)
        return sorted(codes)


OPERATIONS: list[Operation] = []


def path_parameters(rule: str) -> list[dict]:
    params = []
    for match in _RULE_PARAM.finditer(rule):
        if match.group("converter") == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
            text = "an id; one no row can have (0, or beyond the database's integer) is a 404"
        else:
            schema = {"type": "string", "minLength": 1}
            text = ""
        params.append({"name": match.group("name"), "in": "path", "required": True,
                       "schema": schema, **({"description": text} if text else {})})
    return params


def register(operation: Operation) -> None:
    operation.path_params = path_parameters(operation.rule)
    OPERATIONS.append(operation)
    spec.cache_clear()


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = {key: value for key, value in prop.items() if key != "title"}
        description = prop.pop("description", None)
        if prop.get("default", ...) is None:  # absent, not null: a query has no null
            del prop["default"]
        branches = [b for b in prop.pop("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            prop.update(branches[0])
        elif branches:
            prop["anyOf"] = branches
        params.append({"name": name, "in": "query", "required": name in required,
                       "schema": prop, **({"description": description} if description else {})})
    return params


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


@cache
def spec() -> dict:
    models = {(Error, "serialization")}
    for op in OPERATIONS:
        if op.body is not None:
            models.add((op.body, "validation"))
        if op.answer is not None:
            models.add((op.answer, "serialization"))
    ordered = sorted(models, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, definitions = models_json_schema(ordered, ref_template=REF)
    error = _json(refs[(Error, "serialization")])
    paths: dict = {}
    for op in OPERATIONS:
        entry: dict = {"summary": op.summary, "operationId": f"{op.method}{op.path}"}
        if op.description:
            entry["description"] = op.description
        if op.public:
            entry["security"] = []
        parameters = [*op.path_params, *(_query_parameters(op.query) if op.query else [])]
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {"required": op.body_required,
                                    "content": _json(refs[(op.body, "validation")])}
        ok = ({"content": op.content} if op.content else
              {"content": _json(refs[(op.answer, "serialization")])} if op.answer else {})
        responses = {str(op.status): {"description": "OK", **ok}}
        for code in op.statuses():
            responses[str(code)] = {"description": ERROR_DESCRIPTIONS[code], "content": error}
        entry["responses"] = responses
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Madoguchi API", "version": "1",
                 "description": "Bearer tokens per user; JSON in UTF-8; errors are "
                                "`{\"error\": {\"code\", \"message\", \"fields\"}}`."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": definitions.get("$defs", {}),
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }
