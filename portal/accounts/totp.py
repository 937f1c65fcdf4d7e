"""Authenticator-app codes (TOTP, RFC 6238: 30-second steps, 6 digits, SHA-1, as every app
expects) and recovery codes: the pure rules, with the time as an argument, so the tests'
travelling clock moves the codes too."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

# A code of the step before or after the current one is accepted too: a phone's clock a little
# off, or a code typed as it changed (RFC 6238 5.2 recommends at most one step of drift).
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True)
class CodeCheck:
    """The verdict on a typed code: the time step it matched (kept, so it is never accepted
    again), or None with the reason."""

    step: int | None
    reason: str


def new_secret() -> str:
    """A fresh 160-bit secret in base32 (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code of the address as an inline SVG (no script, no external image)."""
    import segno  # the QR code is drawn only on the enrolment page (a slow import)

    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def code_at(secret: str, instant: datetime) -> str:
    """The code an app shows at that instant (tests, and the demo's instructions)."""
    return pyotp.TOTP(secret).at(instant)


def check_code(secret: str, code: str, now: datetime, last_step: int | None) -> CodeCheck:
    """Accept a code of the current step or one step either side, unless that step (or a later
    one) was already used: a code seen over someone's shoulder cannot be replayed."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return CodeCheck(None, "not six digits")
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            step = current + offset
            if last_step is not None and step <= last_step:
                return CodeCheck(None, "already used")
            return CodeCheck(step, "valid")
    return CodeCheck(None, "wrong code")


def new_recovery_codes() -> list[str]:
    """Ten codes of ten characters (about 49 bits each), shown once as xxxxx-xxxxx."""
    def one() -> str:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        return f"{raw[:5]}-{raw[5:]}"

    return [one() for _ in range(RECOVERY_CODES)]


def recovery_hash(user_id: int, code: str) -> str:
    """What is stored of a recovery code: SHA-256 of the person and the normalised code.
    The codes are random and long, so a fast hash is enough (unlike a password)."""
    normal = "".join(char for char in (code or "").lower() if char.isalnum())
    return hashlib.sha256(f"{user_id}:{normal}".encode()).hexdigest()
