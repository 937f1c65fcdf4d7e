"""Rendered HTML fragments kept in each worker's memory, least recently used out first.

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


class FragmentCache:
    def __init__(self, size: int):
        self.size = size
        self._entries: LRUCache = LRUCache(maxsize=max(size, 1))
        self._lock = Lock()
        self.hits = self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        if self.size <= 0:
            return Markup(render())
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self.hits += 1
                return found
            self.misses += 1
        fragment = Markup(render())  # outside the lock: two threads may render the same once
        with self._lock:
            self._entries[key] = fragment
        return fragment

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def init_app(app: Flask) -> None:
    app.extensions["fragments"] = FragmentCache(int(app.config["FRAGMENT_CACHE_SIZE"]))


def fragments() -> FragmentCache:
    return current_app.extensions["fragments"]
