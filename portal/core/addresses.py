"""E-mail addresses: the one normal form every entry point and the sign-in use, and the check
that an address can be mailed.

The normal form is NFKC (so `café` typed as NFC or NFD, or a full-width `ｃｏｎｔａｃｔ＠…`,
is one address), without surrounding spaces, in lower case (sign-in and mail intake match
addresses case-insensitively). An address whose local part (before the @) is not ASCII is
refused at entry: delivering it needs SMTPUTF8 on every relay on the way, which the portal
cannot count on (docs/decisions/sessions.md). A domain in Unicode is kept for display and sent
in its ASCII (IDNA) form.
"""
from __future__ import annotations

import unicodedata

from portal.core.errors import DomainError
from portal.core.i18n import _l

MAX_LENGTH = 254


class AddressRefused(DomainError):
    """An address that cannot be used to send mail; the message says why, in the user's language."""


def canonical_address(text: str | None) -> str:
    """The normal form of what someone typed, without judging it (sign-in, look-ups)."""
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def checked_address(text: str | None) -> str:
    """The normal form of an address the portal will mail, or AddressRefused."""
    address = canonical_address(text)
    local, at, _domain = address.rpartition("@")
    if at and not local.isascii():
        raise AddressRefused(_l("Mail cannot be delivered to an address with characters other "
                                "than ASCII letters, digits and symbols before the @. Please "
                                "use another address."), "email")
    from email_validator import EmailNotValidError, validate_email  # slow to import: on use

    try:
        valid = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise AddressRefused(_l("Enter a valid e-mail address."), "email") from None
    if len(valid.ascii_email) > MAX_LENGTH:
        raise AddressRefused(_l("Enter a valid e-mail address."), "email")
    return canonical_address(valid.normalized)


def sendable_address(address: str) -> str:
    """The ASCII form SMTP needs (the domain in IDNA), or AddressRefused."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(canonical_address(address), check_deliverability=False,
                              allow_smtputf8=False).ascii_email
    except EmailNotValidError as error:
        raise AddressRefused(str(error), "email") from None
