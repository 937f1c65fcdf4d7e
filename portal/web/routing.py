"""The one converter of ids in URLs, for every page and API route (`<int:ticket_id>`)."""
from __future__ import annotations

from werkzeug.routing import BaseConverter, ValidationError

from portal.db import id_from_text


class IdConverter(BaseConverter):
    """ASCII digits naming an id a row can have (1..portal.db.ID_MAX). Anything else, a
    full-width １２ or 2147483648 alike, matches no route: a 404, exactly as a missing id,
    without asking the database (PostgreSQL would refuse a number beyond its integer)."""

    regex = r"[0-9]+"
    weight = 50

    def to_python(self, value: str) -> int:
        ident = id_from_text(value)
        if ident is None:
            raise ValidationError()
        return ident

    def to_url(self, value) -> str:
        return str(int(value))
