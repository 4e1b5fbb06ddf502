"""The Redis cache fails open (RELIABILITY F4): with Redis unreachable, cache reads miss, writes are
dropped, and pages, logins and the API still answer."""

import uuid

import pytest
from django.urls import reverse

from kenes.common.cache import ResilientRedisCache
from kenes.common.tests.redis import DOWN_URL, UP_URL, needs_redis

BACKEND = "kenes.common.cache.ResilientRedisCache"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": DOWN_URL}}


def test_with_redis_down_the_cache_misses_and_drops_writes(redis_down, caplog):
    from django.core.cache import cache, caches

    assert isinstance(caches["default"], ResilientRedisCache)
    cache.set("k", 1)
    assert cache.get("k", "missing") == "missing"
    assert cache.add("k", 1) is True  # as Django's DummyCache: a lock taken with add does not block
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")
    cache.clear()
    assert "cache unavailable (Redis)" in caplog.text


@pytest.mark.django_db
def test_with_redis_down_pages_logins_and_the_api_answer(redis_down, client, alice):
    assert client.get(reverse("common:home")).status_code == 200
    response = client.post(reverse("account_login"), {"login": alice.email, "password": "wrong"})
    assert response.status_code == 200  # the form again, with its error: neither a 500 nor a 429
    assert client.get("/api/v1/petitions").status_code == 200


@needs_redis
def test_with_redis_up_it_is_the_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": UP_URL,
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }
    from django.core.cache import cache

    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", 2) is False
    assert cache.add("n", 1) is True
    assert cache.incr("n") == 2
    cache.delete_many(["k", "n"])
    assert cache.get("k") is None
