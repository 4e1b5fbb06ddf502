"""A small per-process memo with a time to live, for facts a hot path reads on every request and
that may be a few seconds stale (the signing limits, a territory's region): a dict read instead of
a round trip to the shared cache. Every instance registers itself, so that tests can empty them all
between tests (``clear_all``), as they empty the shared cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_instances: list[LocalCache[object]] = []
_instances_lock = threading.Lock()


class LocalCache(Generic[V]):
    """``get_or_set(key, compute)`` returns the value stored less than ``ttl`` seconds ago, or
    computes, stores and returns a new one. At most ``max_entries`` keys are kept (the oldest
    half is dropped when full). Thread-safe: two threads missing the same key both compute it,
    and either value is kept."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        with _instances_lock:
            _instances.append(self)  # type: ignore[arg-type]

    def get_or_set(self, key: Hashable, compute: Callable[[], V]) -> V:
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._data) >= self.max_entries:
                for old in list(self._data)[: self.max_entries // 2]:
                    self._data.pop(old, None)
            self._data[key] = (now + self.ttl, value)
        return value

    def forget(self, key: Hashable) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    """Empty every local cache of this process (tests, between tests)."""
    with _instances_lock:
        instances = list(_instances)
    for instance in instances:
        instance.clear()
