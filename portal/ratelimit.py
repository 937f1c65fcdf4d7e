"""Rate limits: failed sign-ins and second-factor codes, password-reset and single-sign-on
requests, and the API, counted with the `limits` library in the storage that
PORTAL_RATELIMIT_STORAGE_URL names (each process's memory, or a Redis every worker and server
shares).

Only a route that carries a limit pays for one: a limit is a decorator on its view, or a
before-request hook of the API's blueprint, and nothing runs for any other request. (Flask-Limiter,
used before, checked every request in an application-wide hook, about 180 Python calls of a kept
page view's 2,400, to find that a page has no limit; docs/decisions/rate-limits.md.)

A limit with `deduct_when` counts only the answers it names (a failed sign-in, not a successful
one): the request is refused once the window is used up, and counted after its answer. A limit
without one counts every request it applies to. Refused: 429, with the seconds until the window
ends (`seconds_to_wait`, the error page and Retry-After). If the shared storage does not answer,
the limits are counted in this process's memory for a minute before it is tried again: a Redis
outage must not lock everyone out, nor let every guess through.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from flask import Flask, after_this_request, current_app, g, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)
RETRY_SHARED_AFTER_S = 60  # after a failure of the shared storage, memory counts this long


def remote_address() -> str:
    """The client's address (behind a proxy: the one ProxyFix took from X-Forwarded-For)."""
    return request.remote_addr or "127.0.0.1"


@lru_cache(maxsize=64)
def _item(text: str) -> RateLimitItem:
    return parse(text)


@dataclass(frozen=True)
class Limit:
    """One limit: `rule` ("5 per 15 minutes", or a function of the configuration that gives
    one), counted per `key` within `scope`, on `methods` only (None: every method)."""

    rule: str | Callable[[], str]
    scope: str
    key: Callable[[], str] = remote_address
    methods: frozenset[str] | None = None
    deduct_when: Callable | None = None

    def applies(self) -> bool:
        return self.methods is None or request.method in self.methods

    def item(self) -> RateLimitItem:
        return _item(self.rule() if callable(self.rule) else self.rule)


class Counter:
    """The app's counting: the configured storage, and memory when that storage fails."""

    def __init__(self, config) -> None:
        self.prefix = config["RATELIMIT_KEY_PREFIX"]
        self.shared = FixedWindowRateLimiter(storage_from_string(
            config["RATELIMIT_STORAGE_URI"], **config["RATELIMIT_STORAGE_OPTIONS"]))
        self.memory = FixedWindowRateLimiter(storage_from_string("memory://"))
        self.shared_again_at = 0.0

    def _ask(self, method: str, limit: Limit, *more) -> object:
        identifiers = (self.prefix, limit.scope, limit.key())
        if time.monotonic() >= self.shared_again_at:
            try:
                return getattr(self.shared, method)(limit.item(), *identifiers, *more)
            except Exception:  # a Redis that went away: count here meanwhile
                log.warning("rate-limit storage unreachable: counting in memory for %d s",
                            RETRY_SHARED_AFTER_S, exc_info=True)
                self.shared_again_at = time.monotonic() + RETRY_SHARED_AFTER_S
        return getattr(self.memory, method)(limit.item(), *identifiers, *more)

    def check(self, limit: Limit) -> None:
        """Count this request (or, with deduct_when, only see that some is left); 429 if the
        window is used up."""
        allowed = self._ask("test" if limit.deduct_when else "hit", limit)
        g.rate_limit = limit  # the limit whose window the answer's headers and 429 page tell
        if not allowed:
            raise TooManyRequests()
        if limit.deduct_when is not None:
            @after_this_request
            def _deduct(response):
                if limit.deduct_when(response):
                    self._ask("hit", limit)
                return response

    def reset(self) -> None:
        """Forget every count (the tests, between one test and the next)."""
        for counting in (self.shared, self.memory):
            counting.storage.reset()
        self.shared_again_at = 0.0

    def window(self, limit: Limit) -> tuple[int, int]:
        """(what is left, when the window ends as a Unix time in whole seconds)."""
        stats = self._ask("get_window_stats", limit)
        return max(stats.remaining, 0), int(stats.reset_time)


class RateLimits:
    """The portal's limits, bound to an app by init_app; `limit` decorates a view."""

    def init_app(self, app: Flask) -> None:
        app.extensions["rate_limits"] = Counter(app.config)

    @staticmethod
    def counter() -> Counter:
        return current_app.extensions["rate_limits"]

    def limit(self, rule, *, key_func: Callable[[], str] | None = None,
              methods: list[str] | None = None, deduct_when: Callable | None = None):
        """A limit on one view (stack several: each is counted on its own)."""
        def decorate(view):
            limit = Limit(rule, f"{view.__module__}.{view.__qualname__}",
                          key_func or remote_address,
                          frozenset(methods) if methods else None, deduct_when)

            @wraps(view)
            def limited(*args, **kwargs):
                if limit.applies():
                    self.counter().check(limit)
                return view(*args, **kwargs)

            return limited

        return decorate

    def limit_blueprint(self, bp, rule, *, key_func: Callable[[], str]) -> None:
        """A limit on every route of a blueprint, every method, with the X-RateLimit-* headers
        that tell a client how many calls are left (the API: clients pace themselves)."""
        limit = Limit(rule, f"blueprint.{bp.name}", key_func)

        @bp.before_request
        def _check():
            self.counter().check(limit)

        @bp.after_request
        def _headers(response):
            return self.add_headers(response)

    def add_headers(self, response):
        limit = g.get("rate_limit")
        if limit is not None:
            remaining, reset_at = self.counter().window(limit)
            response.headers["X-RateLimit-Limit"] = str(limit.item().amount)
            response.headers["X-RateLimit-Remaining"] = str(remaining)
            response.headers["X-RateLimit-Reset"] = str(reset_at)
        return response

    def seconds_to_wait(self) -> int | None:
        """How long until the limit that refused this request lets it through again; None
        when no limit took part in this request."""
        limit = g.get("rate_limit")
        if limit is None:
            return None
        _remaining, reset_at = self.counter().window(limit)
        # the window's end comes in whole seconds, rounded up: rounding up again would make a
        # fresh 15-minute window read "16 minutes" (as it did in one sign-in of three)
        return max(1, int(reset_at - time.time()))
