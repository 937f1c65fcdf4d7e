"""Rendered HTML fragments (and other small immutable values) kept in each worker's memory,
least recently used out first.

A fragment is stored under a key that names everything it was rendered from (for the request
list: the organisation, the highest revision of its requests, language, zone, filters and the
minute), so an entry is never invalidated: a change makes a new key and the old entry ages out.
`PORTAL_FRAGMENT_CACHE_SIZE` entries per worker (0 turns caching off).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from threading import Lock

from cachetools import LRUCache
from flask import Flask, current_app
from markupsafe import Markup

_MISSING = object()


class FragmentCache:
    def __init__(self, size: int):
        self.size = size
        self._entries: LRUCache = LRUCache(maxsize=max(size, 1))
        self._lock = Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        return self.get_or_make(key, lambda: Markup(render()))

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        """The value kept under `key`, else make it (outside the lock: two threads may make the
        same value once each) and keep it. Values must be immutable: every thread shares them."""
        if self.size <= 0:
            return make()
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is not _MISSING:
                return found
        value = make()
        with self._lock:
            self._entries[key] = value
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def init_app(app: Flask) -> None:
    app.extensions["fragments"] = FragmentCache(int(app.config["FRAGMENT_CACHE_SIZE"]))


def fragments() -> FragmentCache:
    return current_app.extensions["fragments"]
