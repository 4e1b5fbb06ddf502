"""Rate-limit counters (kenes.common.counters): one Redis round trip when the cache is Redis, the
cache's incr/add otherwise, and failing open when Redis is down (RELIABILITY F4)."""

import uuid

from kenes.common import counters
from kenes.common.tests.redis import DOWN_URL, UP_URL, needs_redis


def _redis_cache(settings, url: str) -> None:
    # Django's test signals rebuild the cache handlers when CACHES changes (and again on restore).
    settings.CACHES = {
        "default": {"BACKEND": counters.REDIS_BACKEND, "LOCATION": url, "KEY_PREFIX": uuid.uuid4().hex}
    }


def test_without_redis_the_cache_counts_each_key_in_its_window():
    assert counters.hit([("a", 60), ("b", 60)]) == [1, 1]
    assert counters.hit([("a", 60), ("b", 60)]) == [2, 2]
    assert counters.hit([("a", 60)]) == [3]
    assert counters.hit([]) == []


@needs_redis
def test_on_redis_the_counters_count_and_expire_with_their_window(settings):
    _redis_cache(settings, UP_URL)
    from django.core.cache import cache

    assert counters.hit([("x", 60), ("y", 3600)]) == [1, 1]
    assert counters.hit([("x", 60), ("y", 3600)]) == [2, 2]
    assert cache.get("x") == 2  # the cache's own key: readable (and cleared) through the cache
    client = counters._redis()
    assert 0 < client.ttl(cache.make_key("x")) <= 60
    assert 3540 < client.ttl(cache.make_key("y")) <= 3600
    cache.clear()
    assert counters.hit([("x", 60)]) == [1]


@needs_redis
def test_the_counters_go_on_after_redis_forgets_the_script(settings):
    _redis_cache(settings, UP_URL)
    assert counters.hit([("z", 60)]) == [1]
    counters._redis().script_flush()  # as after a Redis restart: the digest is unknown
    assert counters.hit([("z", 60)]) == [2]


def test_when_redis_is_down_the_limits_fail_open_and_say_so(settings, caplog):
    _redis_cache(settings, DOWN_URL)  # nothing listens on port 1
    assert counters.hit([("x", 60), ("y", 60)]) == [0, 0]
    assert "rate-limit counters unavailable" in caplog.text
