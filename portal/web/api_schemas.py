"""The building blocks of every API body, query and answer (Pydantic v2 models).

Each feature writes its bodies and answers once, as models in its own `api_schemas.py`; the
OpenAPI description is generated from them (portal/web/openapi.py) and every request is
validated against them (portal/web/api.py). Three bases:

- `Body`: a JSON request body. Strict: a boolean is `true`/`false` (not `"yes please"`), a
  number is a number (not `"100000"`), a text is a text; a field it does not know is refused;
  nothing is ever cut or coerced.
- `Query`: the query string. Its values are texts by nature, so a number is read from ASCII
  digits only (`QueryInt`), never from `"1e3"`, `" 2"` or a full-width `２`; an unknown
  parameter is refused like an unknown field.
- `Answer`: what the API sends back; the answer is built through its model, so the
  description cannot drift from what is sent.

Texts are `Text(n)`: at most n characters, and never a NUL character or an unpaired surrogate
(neither can be stored, and no one types them).

Every model is built on first use (`defer_build`): a command that serves no API (`mail
receive`) does not build 64 models' validators at start (0.16 s); gunicorn's warm-up
(portal/web/warm.py) builds them all before the workers fork.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from portal.core.months import FIRST_DAY, LAST_DAY, is_month
from portal.db import ID_MAX, is_id


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Query(BaseModel):
    """A parameter it does not know is refused too: `?stauts=open` is a typo to report, not a
    list of everything."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

class Answer(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)


def _storable(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("text_nul", "must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("text_unicode", "must be valid Unicode text") from None
    return value


_NO_NUL = "^[^\\u0000]*$"


def Text(max_length: int, min_length: int = 0):  # noqa: N802  (a type, written as one)
    """A text of at most `max_length` characters that can be stored (no NUL)."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length),
                     AfterValidator(_storable),
                     Field(json_schema_extra={"pattern": _NO_NUL})]


def _ascii_int(value: object) -> object:
    """A query value as an int: ASCII digits only, at most 10 of them."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= 10):
            raise PydanticCustomError("int_parsing", "must be a whole number")
        return int(value)
    return value


def QueryInt(low: int, high: int):  # noqa: N802
    return Annotated[int, Field(ge=low, le=high), BeforeValidator(_ascii_int)]


def _month(value: str) -> str:
    if not is_month(value):
        raise PydanticCustomError("month", "must look like 2026-11")
    return value


Month = Annotated[str, AfterValidator(_month),
                  WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
                                  "description": "a month, YYYY-MM"})]


def _day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("day_range", "must be between {first} and {last}",
                                  {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()})
    return value


# A calendar day given as "YYYY-MM-DD", within the portal's range of days (portal.core.months).
Day = Annotated[date, AfterValidator(_day)]

def _possible_id(value: int) -> int:
    if not is_id(value):
        raise PydanticCustomError("id_impossible", "no row has this id")
    return value


# An id given in a body. One that no row can have (0, negative, beyond the database's integer)
# is a 404, as api.md says of an id that cannot exist, never a database error.
BodyId = Annotated[int, AfterValidator(_possible_id),
                   Field(json_schema_extra={"minimum": 1, "maximum": ID_MAX})]
# An id as the API answers it.
Id = int

# Instants and days as the API writes them (already formatted in the organisation's zone).
Instant = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
NullableInstant = Annotated[str | None, WithJsonSchema(
    {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]})]
DayText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
MonthText = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})]
Slug = Text(64, 1)


class Money(Answer):
    amount: int
    currency: Literal["JPY"]


class OrganizationRef(Answer):
    id: Id
    slug: str
    name: str


class ErrorDetail(BaseModel):
    """The error object: `code`, `message` (in the caller's language), `fields` naming each
    field that was refused, and whatever the code adds (a fee, a deadline)."""

    model_config = ConfigDict(extra="allow", defer_build=True)
    code: str
    message: str
    fields: dict[str, str] | None = None
    request_id: str | None = None


class Error(Answer):
    model_config = ConfigDict(title="Error")
    error: ErrorDetail
