"""Money is an integer number of yen; shown through Babel, sent as {amount, currency}."""
from __future__ import annotations

from babel.numbers import format_currency


def yen(amount: int, locale: str) -> str:
    """¥20,000 in both languages (yen have no minor unit)."""
    return format_currency(amount, "JPY", locale=locale)


def format_yen(amount: int) -> str:
    """Whole yen in a rule's reason, the same in both languages: ``¥10,000``."""
    return f"¥{amount:,}"


def money_json(amount: int) -> dict:
    return {"amount": int(amount), "currency": "JPY"}
