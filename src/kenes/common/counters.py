"""Fixed-window counters in the shared cache, for rate limits on hot paths.

``hit([(key, window_seconds), ...])`` counts one event under each key and returns the counts so
far (this one included). On Redis all the keys cost one round trip (a pipeline of ``INCR`` and
``EXPIRE … NX`` per key) through the cache backend's kept client (``ResilientRedisCache.client``).
With any other cache backend (the in-memory one of the demo and the tests) each key goes through
``cache.incr`` and ``cache.add``.

The keys are the cache's own (``cache.make_key``), so ``cache.get(key)`` reads a counter and
``cache.clear()`` resets them all.

**Redis down** (RELIABILITY F4): the limits fail open. ``hit`` logs a warning and counts nothing, so
signing goes on (one signature per person is the database's constraint, not a counter's); the client
gives up after the cache's ``SOCKET_TIMEOUT`` (``kenes.common.cache``), so a hung Redis cannot pile
up requests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache, caches

from kenes.common.cache import ResilientRedisCache

REDIS_BACKEND = "kenes.common.cache.ResilientRedisCache"  # what the settings choose when REDIS_URL is set

logger = logging.getLogger(__name__)


def _redis() -> Any:
    """The Redis client of the default cache, or None when the cache is not Redis."""
    backend = caches["default"]
    return backend.client if isinstance(backend, ResilientRedisCache) else None


def _hit_one(key: str, window: int) -> int:
    try:
        return int(cache.incr(key))
    except ValueError:  # no counter yet, or it just expired
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between the two calls: start a new window
            cache.set(key, 1, timeout=window)
            return 1


def hit(counters: Sequence[tuple[str, int]]) -> list[int]:
    """Count one event under each ``(key, window_seconds)``; the counts, in the same order."""
    if not counters:
        return []
    client = _redis()
    if client is None:
        return [_hit_one(key, window) for key, window in counters]
    import redis

    pipe = client.pipeline(transaction=False)
    for key, window in counters:
        full = cache.make_key(key)
        pipe.incr(full)
        pipe.expire(full, window, nx=True)
    try:
        replies = pipe.execute()
    except redis.RedisError:
        logger.warning("rate-limit counters unavailable (Redis): this event is not counted", exc_info=True)
        return [0] * len(counters)
    return [int(replies[2 * i]) for i in range(len(counters))]
