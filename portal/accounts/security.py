"""Password hashing (Argon2id), API token hashing, and signed single-use links."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from portal.core import clock

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "mdg_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> tuple[str, str]:
    """A fresh token and the SHA-256 hex that is stored instead of it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class _ClockSigner(TimestampSigner):
    """Signs with the portal's clock, so link expiry follows the same time as everything else."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="password-link", signer=_ClockSigner)


def password_link_token(secret_key: str, user_id: int, password_hash: str | None) -> str:
    """A link token bound to the current password hash: using it once spends it."""
    return _serializer(secret_key).dumps([user_id, _fingerprint(password_hash)])


def read_password_link(secret_key: str, token: str, max_age: int) -> tuple[int, str] | None:
    """(user id, fingerprint) for a valid, unexpired token; None otherwise."""
    try:
        user_id, fingerprint = _serializer(secret_key).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    return int(user_id), str(fingerprint)


def fingerprint_matches(password_hash: str | None, fingerprint: str) -> bool:
    return secrets.compare_digest(_fingerprint(password_hash), fingerprint)


def _fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "unset").encode()).hexdigest()[:16]
