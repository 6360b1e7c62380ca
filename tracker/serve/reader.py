"""The dashboard's view of the store: a read-only connection per request (SQLite or PostgreSQL
refuses any write on it), and a small cache of what was computed, emptied whenever the log's
head moves, so a page shows the events appended since the last one without refolding on every
request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from tracker.store.base import EventStore
from tracker.store.readonly import open_read_only

T = TypeVar("T")
KEEP = 256  # cached results at most; the cache empties when full, as when the head moves


class Reader:
    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._head = -1
        self._cache: dict[Hashable, Any] = {}

    def check(self) -> int:
        """Open the store once (fails with a one-line StoreError); the head position."""
        with open_read_only(self.path) as store:
            return store.head()

    def read(self, key: Hashable, compute: Callable[[EventStore], T]) -> T:
        with open_read_only(self.path) as store:
            head = store.head()
            with self._lock:
                if head != self._head or len(self._cache) >= KEEP:
                    self._cache.clear()
                    self._head = head
                if key in self._cache:
                    found: T = self._cache[key]
                    return found
            value = compute(store)
            with self._lock:
                if head == self._head:
                    self._cache[key] = value
            return value
