"""The Redis cache, failing open (RELIABILITY F4: with Redis down for a minute, pages are still
served and signatures still accepted).

Django's ``RedisCache`` raises when Redis cannot be reached, so every page or login that reads the cache
(allauth's rate limits, for one) would answer 500. This backend logs a warning instead and behaves as
Django's ``DummyCache`` for the call: reads miss, writes are dropped, ``add`` reports success (so a lock
taken with ``add``, as allauth's rate limits take one, does not hold every login for a second and then
refuse it). Kenes keeps nothing in the cache that it cannot recompute or do without; its own rate-limit
counters fail open the same way (``kenes.common.counters``). Selected in settings when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

#: Seconds to wait for Redis to connect or answer before a cache call counts as a miss.
SOCKET_TIMEOUT = 0.5


def _down(operation: str) -> None:
    logger.warning("cache unavailable (Redis): %s skipped", operation, exc_info=True)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        params["OPTIONS"] = options
        super().__init__(server, params)

    @cached_property
    def client(self) -> redis.Redis:
        """One client on this backend's connection pool (and its timeouts), kept: Django builds a
        new client object for every call, which on the signing path cost more CPU than the
        signature's own INSERT. The rate-limit counters pipeline through it (``kenes.common.counters``)."""
        return self._cache.get_client(write=True)  # type: ignore[attr-defined,no-any-return]

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except redis.RedisError:
            _down("get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except redis.RedisError:
            _down("get_many")
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except redis.RedisError:
            _down("has_key")
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except redis.RedisError:
            _down("add")
            return True

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except redis.RedisError:
            _down("set")

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except redis.RedisError:
            _down("set_many")
            return []

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except redis.RedisError:
            _down("touch")
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except redis.RedisError:
            _down("delete")
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except redis.RedisError:
            _down("delete_many")

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except redis.RedisError:
            _down("incr")
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from None

    def clear(self) -> None:
        try:
            super().clear()
        except redis.RedisError:
            _down("clear")
