"""The one converter of ids in URLs, for every page and API route (`<int:ticket_id>`)."""
from __future__ import annotations

from werkzeug.routing import BaseConverter, ValidationError

from portal.db import ID_MAX, id_from_text


def decimal_pattern(high: int) -> str:
    """A regular expression matching exactly the decimal numbers 1..high, without leading
    zeros: the URL itself refuses an impossible id, so that no other rule or method is tried."""
    digits = str(high)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(digits) - i - 1
            same_length.append(f"{digits[:i]}[{low}-{int(digit) - 1}]"
                               + (f"[0-9]{{{rest}}}" if rest else ""))
    same_length.append(digits)
    return "(?:" + "|".join(shorter + same_length) + ")"


class IdConverter(BaseConverter):
    """ASCII digits naming an id a row can have (1..portal.db.ID_MAX). Anything else, a
    full-width １２, 007 or 2147483648 alike, matches no route: a 404, exactly as a missing id,
    without asking the database (PostgreSQL would refuse a number beyond its integer)."""

    regex = decimal_pattern(ID_MAX)
    weight = 50

    def to_python(self, value: str) -> int:
        ident = id_from_text(value)
        if ident is None:
            raise ValidationError()
        return ident

    def to_url(self, value) -> str:
        return str(int(value))
