"""Flask's signed-cookie session, with two costs paid once instead of on every request.

Flask builds a new signing serializer for every request and reads (base64, HMAC, JSON) the same
session cookie again on every page a person opens. Here the serializer is built once per set of
secret keys, and a cookie value already read is remembered: a signed value always holds the same
data, so only its age is checked again (PERMANENT_SESSION_LIFETIME, as itsdangerous would).
Only sessions of plain values (ids, tokens, language, flags) are remembered; one holding a list
or a dict (flashed messages) is read anew each time, so nothing shared can be changed in place.
"""
from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

_PLAIN = (str, int, float, bool, type(None))


class KeptSessionInterface(SecureCookieSessionInterface):
    def __init__(self, remembered: int = 4096) -> None:
        self.remembered = remembered
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._read: dict[tuple, tuple[dict, float]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._read.get((serializer, value))
        if known is not None and 0 <= time.time() - known[1] <= max_age:
            return self.session_class(known[0])  # a copy: the session may be changed
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(item, _PLAIN) for item in data.values()):
            if len(self._read) >= self.remembered:
                self._read.clear()
            self._read[(serializer, value)] = (data, signed.timestamp())
        return self.session_class(data)
