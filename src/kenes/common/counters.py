"""Fixed-window counters in the shared cache, for rate limits on hot paths.

``hit([(key, window_seconds), ...])`` counts one event under each key and returns the counts so
far (this one included). On Redis all the keys cost one round trip (a pipeline of ``INCR`` and
``EXPIRE … NX`` per key) through one client per process; Django's Redis cache backend builds a new
client object for every call, which on the signing path cost more CPU than the signature's own
INSERT. With any other cache backend (the in-memory one of the demo and the tests) each key goes
through ``cache.incr`` and ``cache.add``.

The keys are the cache's own (``cache.make_key``), so ``cache.get(key)`` reads a counter and
``cache.clear()`` resets them all.

**Redis down** (RELIABILITY F4): the limits fail open. ``hit`` logs a warning and counts nothing, so
signing goes on (one signature per person is the database's constraint, not a counter's); the client
gives up after ``SOCKET_TIMEOUT`` seconds, so a hung Redis cannot pile up requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache

REDIS_BACKENDS = ("django.core.cache.backends.redis.RedisCache", "kenes.common.cache.ResilientRedisCache")
REDIS_BACKEND = REDIS_BACKENDS[1]  # what the settings choose when REDIS_URL is set
#: Seconds the Redis client waits to connect or for a reply before the limits fail open.
SOCKET_TIMEOUT = 0.5

logger = logging.getLogger(__name__)
_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _redis() -> Any:
    """The process's Redis client for the default cache, or None when the cache is not Redis."""
    config = settings.CACHES["default"]
    if config.get("BACKEND") not in REDIS_BACKENDS:
        return None
    location = config["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else str(location).split(",")[0]
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                import redis

                options = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
                options.update(config.get("OPTIONS", {}))
                client = _clients[url] = redis.Redis.from_url(url, **options)
    return client


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
