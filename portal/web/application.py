"""The Flask application class of the portal: Flask itself, with one of its documented override
points used (`ensure_sync`, "override this method to change how the app runs async views").

Flask asks `ensure_sync` about every hook and view it calls, on every request: a kept page view
runs about eighteen (the extensions' and the portal's before/after-request and teardown hooks,
the view), and each answer costs `inspect.iscoroutinefunction` a dozen Python calls on 3.12 —
about a tenth of a kept request list (docs/performance.md, sixth round). The portal registers
only plain functions, so the answer for each is remembered.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

REMEMBERED = 1024  # hooks, views, error handlers and context processors: a few hundred at most


class PortalFlask(Flask):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._synchronous: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's answer for `func`, found once per function (a coroutine function is still
        wrapped by Flask's own `async_to_sync`)."""
        known = self._synchronous.get(func)
        if known is None:
            known = super().ensure_sync(func)
            if len(self._synchronous) < REMEMBERED:
                self._synchronous[func] = known
        return known
