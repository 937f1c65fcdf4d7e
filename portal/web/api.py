"""What every /api/v1 route shares: the blueprint, bearer-token authentication, the rate limit,
the JSON forms of an instant, and `operation`, the one way a route is declared.

`operation` registers the route, describes it in the OpenAPI document (portal/web/openapi.py)
from its models, and validates what the client sent against the same models before the view
runs: the body (`body=`, passed to the view as `body`) and the query (`query=`, passed as
`query`). The view returns a dict or an Answer model, which goes out through the answer model.

Refusals, in one place:
- a body that is not JSON, not an object, or nested absurdly deep: 400;
- a body larger than API_BODY_LIMIT: 413;
- a field of the wrong type, out of range, of an unknown value or too long, a field the model
  does not know, a required field missing: 422 with `fields` naming each one, in the user's
  language; nothing is cut or coerced;
- a DomainError raised by a service: its status and code (portal/errors.py).
"""
from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from portal.accounts.services import user_for_token
from portal.core.errors import DomainError
from portal.core.i18n import _
from portal.core.months import DEFAULT_ZONE
from portal.errors import api_error
from portal.extensions import limiter
from portal.web import openapi
from portal.web.api_schemas import Query

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi"}
API_BODY_LIMIT = 1024 * 1024  # bytes; the largest real body (an outbrief) is far below
ROOT = "(body)"  # the name in `fields` of the body itself (a list sent where an object belongs)


def _bearer_token() -> str:
    """The token of `Authorization: Bearer TOKEN`, else "" (the one credential the API takes)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else ""


def _api_limit_key() -> str:
    """Count API calls per token (hashed), else per client address."""
    from portal.accounts.security import hash_token
    from portal.ratelimit import remote_address

    token = _bearer_token()
    return f"token:{hash_token(token)}" if token else f"addr:{remote_address()}"


# before `authenticate`: calls with a wrong token are counted too (guessing tokens is throttled)
limiter.limit_blueprint(bp, lambda: current_app.config["API_RATE_LIMIT"], key_func=_api_limit_key)


@bp.before_request
def authenticate():
    """Only `Authorization: Bearer TOKEN` authenticates; cookies never do."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = _bearer_token()
    user = user_for_token(token, request.remote_addr) if token else None
    if user is None:
        return api_error(401, _("A valid API token is required."))
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def api_user():
    return g.api_user


def instant(value: datetime | None, tz: str = DEFAULT_ZONE, spec: str = "auto") -> str | None:
    """An instant as ISO 8601 with the offset of the organisation's zone, or None."""
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec=spec) if value else None


class InvalidRequest(DomainError):
    """What the client sent does not fit the operation's model (422, or 400 for the body)."""

    def __init__(self, message, fields: dict | None = None, status: int = 422,
                 code: str = "validation_failed"):
        super().__init__(message, fields=fields)
        self.status, self.code = status, code


def operation(method: str, rule: str, *, summary: str, answer: type[BaseModel] | None = None,
              body: type[BaseModel] | None = None, body_required: bool = True,
              query: type[BaseModel] | None = None, status: int = 200,
              errors: tuple[int, ...] = (), public: bool = False, content: dict | None = None,
              description: str = ""):
    """Declare an API route: registered on `bp`, described in the OpenAPI document, and
    checked against its models before the view runs. `errors` are the statuses the view itself
    can give (403, 404, 409, …); 400/401/404/413/422/429 are added where they apply."""

    def decorate(view):
        openapi.register(openapi.Operation(
            method=method.lower(), rule=rule, summary=summary, body=body,
            body_required=body_required, query=query, answer=answer, status=status,
            errors=tuple(errors), public=public, content=content, description=description))

        @functools.wraps(view)
        def run(**path):
            arguments = dict(path)
            parsed = _validated(query or NoQuery, _query_arguments(), "query")
            if query is not None:
                arguments["query"] = parsed
            if body is not None:
                try:
                    arguments["body"] = _validated(body, _raw_body(), "body")
                except InvalidRequest as refusal:
                    arguments["body"] = Refused(refusal)
            result = view(**arguments)
            if isinstance(arguments.get("body"), Refused):  # a view that never read its body
                raise arguments["body"].refusal
            if isinstance(result, Response) or answer is None:
                return result
            return _answer(answer, result), status

        bp.add_url_rule(rule, view.__name__, run, methods=[method.upper()])
        return run

    return decorate


class Refused:
    """A body that did not validate, handed to the view in its place: the first use raises the
    refusal. So a view's own checks come first, in the order a client expects (the token's
    rights: 403; the object in the path: 404), and only then the body (400/422)."""

    def __init__(self, refusal: InvalidRequest):
        object.__setattr__(self, "refusal", refusal)

    def __getattr__(self, name):
        raise self.refusal


def _answer(model: type[BaseModel], result) -> Response:
    built = result if isinstance(result, model) else model.model_validate(result)
    return jsonify(built.model_dump(mode="json", exclude_unset=True))


class NoQuery(Query):
    """An operation without parameters: any parameter is unknown (422)."""


def _query_arguments() -> dict[str, str]:
    repeated = sorted({key for key in request.args if len(request.args.getlist(key)) > 1})
    if repeated:
        raise InvalidRequest(_("Please correct the marked fields."),
                             {key: _("Give this parameter once.") for key in repeated})
    return request.args.to_dict()


def _raw_body() -> bytes:
    length = request.content_length
    if length is not None and length > API_BODY_LIMIT:
        raise RequestEntityTooLarge()
    raw = request.get_data(cache=True)
    if len(raw) > API_BODY_LIMIT:
        raise RequestEntityTooLarge()
    return raw if raw.strip() else b"{}"  # no body at all: an empty object


def _validated(model: type[BaseModel], data, where: str):
    try:
        if where == "body":
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as error:
        raise _refusal(error) from None
    except RecursionError:  # never expected (the JSON parser has its own limit), but a 400
        raise BadRequest() from None


def _refusal(error: ValidationError) -> InvalidRequest:
    problems = error.errors(include_url=False, include_input=False)
    for problem in problems:
        if problem["type"] == "json_invalid":
            return InvalidRequest(_("The body is not JSON this API can read (invalid, or nested "
                                    "too deep)."), status=400, code="bad_request")
        if not problem["loc"]:  # JSON, but a list or a text where an object belongs
            return InvalidRequest(_("Please correct the marked fields."),
                                  {ROOT: _("Send a JSON object.")})
    impossible = [str(p["loc"][0]) for p in problems if p["type"] == "id_impossible"]
    if impossible:  # an id no row can have: missing, as any unknown object
        return InvalidRequest(_("No such object."), {name: _("No such object.") for name in
                                                     impossible}, status=404, code="not_found")
    fields: dict[str, str] = {}
    for problem in problems:
        name, rest = str(problem["loc"][0]), problem["loc"][1:]
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest)
        text = message_for(problem)
        text = f"{where.lstrip('.')}: {text}" if where else text
        fields[name] = f"{fields[name]} {text}" if name in fields else text
    return InvalidRequest(_("Please correct the marked fields."), fields)


def message_for(problem: dict) -> str:
    """One refused value's message, in the user's language."""
    kind, ctx = problem["type"], problem.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not known here.")
    if kind.startswith("bool"):
        return _("Must be true or false.")
    if kind.startswith("int"):
        return _("Must be a whole number.")
    if kind == "string_type":
        return _("Must be a text.")
    if kind == "string_too_long":
        return _("At most %(count)s characters.", count=ctx.get("max_length"))
    if kind == "string_too_short":
        return _("Must not be empty.")
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.", limit=ctx.get("ge"))
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.", limit=ctx.get("le"))
    if kind in ("literal_error", "enum"):
        return _("Must be one of %(choices)s.", choices=ctx.get("expected", ""))
    if kind == "list_type":
        return _("Must be a list.")
    if kind == "too_long":
        return _("At most %(count)s items.", count=ctx.get("max_length"))
    if kind == "too_short":
        return _("At least %(count)s items.", count=ctx.get("min_length"))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be an object.")
    if kind.startswith("date"):
        return _("Must be a date written as YYYY-MM-DD.")
    if kind == "day_range":
        return _("Must be a day from %(first)s to %(last)s.", first=ctx.get("first"),
                 last=ctx.get("last"))
    if kind == "month":
        return _("Must be a month written as YYYY-MM, for example 2026-11.")
    if kind == "text_nul":
        return _("Must not contain a NUL character.")
    if kind == "text_unicode":
        return _("Must be valid Unicode text.")
    return _("This value is not valid.")
